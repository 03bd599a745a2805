"""API resource: households."""
