"""Tests of the clinical evaluators (no app, no database)."""
