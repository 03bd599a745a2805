"""API resource: tasks."""
