"""API resource: places."""
