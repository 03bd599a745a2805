"""API resource: auth."""
