"""The Puskesmas service flow's REST resources (docs/flow.md)."""
