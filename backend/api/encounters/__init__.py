"""API resource: encounters."""
