"""API resource: users."""
