"""API resource: persons."""
