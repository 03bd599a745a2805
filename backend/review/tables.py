"""Review state at the Puskesmas (docs/review.md): what reviewers decided, never a projection.

These rows are the Puskesmas's own operational facts, like the audit log and the sasaran: a
reviewer's verdict on a record, "bukan orang yang sama" on a pair of possible duplicates, and
each merge with what it changed (so it can be undone). They are not replicated and `flask
reproject` leaves them alone; what a decision changes in the records themselves (a correction
task, the re-pointed visits of a merge) is written as documents through the one write path.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

ID = sa.String(200)
DESA = sa.String(16)

# One row per reviewed record: the latest verdict on it. A record edited after its review (a
# new revision: `rev` differs from the winner's) is back in the queue; the history of verdicts
# is in the audit log.
reviews = sa.Table(
    "reviews", metadata,
    sa.Column("doc_id", ID, primary_key=True),
    sa.Column("doc_type", sa.String(40), nullable=False),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),             # the record's date (month counts)
    sa.Column("rev", sa.String(80), nullable=False),        # the revision reviewed
    sa.Column("status", sa.String(16), nullable=False),     # benar | perbaikan | tidak_relevan
    sa.Column("rules", sa.String(400)),                     # flags open when decided, comma
    sa.Column("note", sa.String(300)),
    sa.Column("task_id", ID),                               # the correction task (perbaikan)
    sa.Column("reviewed_by", sa.String(64), nullable=False),   # username
    sa.Column("reviewed_at", sa.String(40), nullable=False),
    sa.Index("ix_reviews_desa_date", "desa", "date"),
)

# A pair a reviewer declared two different persons: never offered again as a duplicate.
duplicate_verdicts = sa.Table(
    "duplicate_verdicts", metadata,
    sa.Column("person_a", ID, primary_key=True),            # person_a < person_b
    sa.Column("person_b", ID, primary_key=True),
    sa.Column("verdict", sa.String(16), nullable=False),    # bukan_duplikat
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", sa.String(40), nullable=False),
)

# One row per merge: who merged which duplicate into which survivor, and every field of every
# document the merge changed (JSON list of {"id", "field", "before", "after"}), so an undo
# within MERGE_UNDO_DAYS can write them back through the one write path.
merges = sa.Table(
    "merges", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("survivor", ID, nullable=False, index=True),
    sa.Column("merged", ID, nullable=False, index=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("merged_by", sa.String(64), nullable=False),
    sa.Column("merged_at", sa.String(40), nullable=False),
    sa.Column("undo_until", sa.String(40), nullable=False),
    sa.Column("changes", sa.Text, nullable=False),
    sa.Column("undone_by", sa.String(64)),
    sa.Column("undone_at", sa.String(40)),
)
