"""Web push (docs/push.md): subscriptions of family and staff devices, the outbox of messages
to send, and the sender — the only module that imports pywebpush."""
