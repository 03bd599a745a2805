"""Records the server derives from what was written (docs/followup.md, invariants §11).

`derived(conn, changes)` is called by `backend.writes.write_docs` with the new winners of a
batch, inside the batch's transaction; it answers the documents to write next (new follow-up
tasks, cancellations), which the write path stores through the same store as the system.
"""

from backend.followup.registry import derived

__all__ = ["derived"]
