"""Staff devices, notification clicks and the outbox view (docs/push.md "Staff notifications")."""
