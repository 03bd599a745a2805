"""Follow-up the server derives from what was written (docs/followup.md, invariants §11):
a visit's findings become tasks for the Pustu (`derive.py`), read with `inputs.py`, built by
`tasks.py`. The ordered registry of every deriver, this one among them, is
`backend/derivations.py`, called by `backend.writes.write_docs` inside the batch's transaction.
"""
