"""Reminders (docs/push.md, "Rules"): who is due for what, from the clinical evaluator and the
rules in config/ilp/reminders.json, turned into outbox rows — one module per rule family, in the
ordered registry of backend/reminders/registry.py."""
