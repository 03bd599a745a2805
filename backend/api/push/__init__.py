"""API resource: web push — the VAPID public key, staff devices, the outbox view, test pushes."""
