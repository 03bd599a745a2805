"""What "open" means for a flag and for a pair of possible duplicates: one definition, used by
the queue, the progress counts, PWS (which leaves flagged values out) and the screens.

* A **flag** (a `quality_flags` row: one rule on one record) is resolved when a reviewer said
  *benar* (the value is true: verified, the flag is kept with who verified it) or *tidak
  relevan* about that record while that rule was among its open flags (`reviews.rules`). A
  rule that fires later on the same record (an edit brought a new problem) is open again.
  *Perbaikan* does not resolve it: the value stays doubtful until the correction arrives, and
  a corrected encounter carries no flags of its own (its correction does).
* A **pair** is open while a reviewer has not said "bukan orang yang sama"
  (`duplicate_verdicts`) and neither person has been merged away.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.projections.tables import duplicate_pairs, persons, quality_flags
from backend.review.tables import duplicate_verdicts, reviews

STATUSES = ("benar", "perbaikan", "tidak_relevan")
RESOLVING = ("benar", "tidak_relevan")


def flag_resolved(flags: sa.Table | sa.Alias = quality_flags) -> sa.ColumnElement[bool]:
    """EXISTS a verdict resolving the flag row of `flags` (the table or an alias of it)."""
    r = reviews.c
    listed = (sa.literal(",") + sa.func.coalesce(r.rules, "") + sa.literal(",")).contains(
        sa.literal(",") + flags.c.rule + sa.literal(","))
    return sa.exists().where(r.doc_id == flags.c.doc_id, r.status.in_(RESOLVING), listed)


def flag_open(flags: sa.Table | sa.Alias = quality_flags) -> sa.ColumnElement[bool]:
    return ~flag_resolved(flags)


def pair_open(pairs: sa.Table | sa.Alias = duplicate_pairs) -> sa.ColumnElement[bool]:
    """The pair of `pairs` is still a question: not declared different, nobody merged away."""
    v = duplicate_verdicts.c
    merged = sa.select(persons.c.id).where(persons.c.merged_into_id.is_not(None))
    return sa.and_(
        ~sa.exists().where(v.person_a == pairs.c.person_a, v.person_b == pairs.c.person_b),
        pairs.c.person_a.not_in(merged), pairs.c.person_b.not_in(merged))
