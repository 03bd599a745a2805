"""API resource: a family's reminders, reached with the QR token and then the family key."""
