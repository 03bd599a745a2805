"""The review queue of one desa (docs/review.md, "The review queue").

A record is a person (the registration), an encounter (a visit with its screenings: one
document, so one row) or a pregnancy of the desa: the live winner, a person merged into
another left out. It is **open** when no reviewer has a verdict on its current revision (a
verdict on an older one does not count: the record was edited since) and no later encounter
corrects it. Flagged records (an open data-quality flag, `backend.review.state.flag_open`)
come first, then the newest synced (the store's `seq`) first.

Why two passes instead of one ORDER BY: a desa at scale 10 holds tens of thousands of records,
and "flagged first" is not a column any index orders by. The flagged records are few and are
found from `quality_flags` (indexed by desa); the rest are read newest first straight off the
store's `(scope, seq)` index, so the first page reads about a page of rows whatever the size
of the desa. The cursor is the pass and the last `seq` shown (keyset paging): records that
arrive while a reviewer pages have higher `seq` and show on the next first page, never twice.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import sqlalchemy as sa

from backend.projections.tables import encounters, persons, quality_flags
from backend.review import items
from backend.review.state import flag_open
from backend.review.tables import reviews
from backend.sync.tables import documents

TYPES = ("person", "encounter", "pregnancy")
SHOWS = ("open", "reviewed", "all")
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
FLAGGED, REST = "f", "u"      # the two passes, in this order


class BadCursor(ValueError):
    """A cursor this module did not write."""


@dataclass(frozen=True)
class Page:
    desa: str
    items: list[dict]
    next: str | None
    counts: dict[str, int]


def _doc() -> sa.Alias:
    return documents.alias("d")


def is_record(d) -> sa.ColumnElement[bool]:
    """A live record of the queue (any desa): not a task or a household, not deleted, not a
    person merged into another."""
    merged = sa.exists().where(persons.c.id == d.c.id, persons.c.merged_into_id.is_not(None))
    return sa.and_(d.c.type.in_(TYPES), d.c.deleted.is_(False), ~merged)


def reviewed_now(d) -> sa.ColumnElement[bool]:
    """A verdict on the record's current revision."""
    return sa.exists().where(reviews.c.doc_id == d.c.id, reviews.c.rev == d.c.winner)


def corrected(d) -> sa.ColumnElement[bool]:
    """A later encounter corrects it (the correction is the record to review now)."""
    return sa.exists().where(encounters.c.corrects_id == d.c.id)


def is_open(d) -> sa.ColumnElement[bool]:
    return sa.and_(~reviewed_now(d), ~corrected(d))


def flagged(d) -> sa.ColumnElement[bool]:
    q = quality_flags.alias("qf")
    return sa.exists().where(q.c.doc_id == d.c.id, flag_open(q))


def _shown(d, show: str) -> list[sa.ColumnElement[bool]]:
    if show == "open":
        return [is_open(d)]
    if show == "reviewed":
        return [~is_open(d)]
    return []


def encode(pass_: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{pass_}.{seq}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[str, int | None]:
    """(pass, last seq shown) of a cursor; the start for None. BadCursor otherwise."""
    if not cursor:
        return FLAGGED, None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        pass_, seq = text.split(".")
        if pass_ in (FLAGGED, REST):
            return pass_, int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadCursor(cursor)


def _flagged_pass(conn, desa: str, show: str, before: int | None, n: int) -> list[tuple]:
    d, q = _doc(), quality_flags.alias("qf")
    candidates = sa.select(q.c.doc_id).where(q.c.desa == desa, flag_open(q)).distinct()
    stmt = (sa.select(d.c.id, d.c.seq)
            .where(d.c.id.in_(candidates), d.c.scope == desa, is_record(d), *_shown(d, show))
            .order_by(d.c.seq.desc()).limit(n))
    if before is not None:
        stmt = stmt.where(d.c.seq < before)
    return [tuple(row) for row in conn.execute(stmt)]


def _rest_pass(conn, desa: str, show: str, before: int | None, n: int) -> list[tuple]:
    d = _doc()
    stmt = (sa.select(d.c.id, d.c.seq)
            .where(d.c.scope == desa, is_record(d), ~flagged(d), *_shown(d, show))
            .order_by(d.c.seq.desc()).limit(n))
    if before is not None:
        stmt = stmt.where(d.c.seq < before)
    return [tuple(row) for row in conn.execute(stmt)]


def page_ids(conn: sa.Connection, desa: str, show: str = "open", only_flagged: bool = False,
             after: str | None = None, limit: int = DEFAULT_LIMIT
             ) -> tuple[list[str], str | None]:
    """The ids of one page in queue order, and the cursor of the next (None at the end)."""
    pass_, before = decode(after)
    rows: list[tuple[str, str, int]] = []
    if pass_ == FLAGGED:
        found = _flagged_pass(conn, desa, show, before, limit + 1)
        rows = [(FLAGGED, i, s) for i, s in found]
        pass_, before = REST, None
    if not only_flagged and len(rows) <= limit:
        found = _rest_pass(conn, desa, show, before, limit + 1 - len(rows))
        rows += [(REST, i, s) for i, s in found]
    more = len(rows) > limit
    rows = rows[:limit]
    following = encode(rows[-1][0], rows[-1][2]) if more and rows else None
    return [i for _, i, _ in rows], following


def counts(conn: sa.Connection, desa: str) -> dict[str, int]:
    """Open records of the desa, and how many of them carry an open flag."""
    d = _doc()
    base = sa.and_(d.c.scope == desa, is_record(d), is_open(d))
    total = conn.execute(sa.select(sa.func.count()).select_from(d).where(base)).scalar()
    q = quality_flags.alias("qf")
    candidates = sa.select(q.c.doc_id).where(q.c.desa == desa, flag_open(q)).distinct()
    with_flags = conn.execute(sa.select(sa.func.count()).select_from(d).where(
        base, d.c.id.in_(candidates))).scalar()
    return {"open": int(total or 0), "flagged_open": int(with_flags or 0)}


def queue(conn: sa.Connection, config: dict, desa: str, show: str = "open",
          only_flagged: bool = False, after: str | None = None,
          limit: int = DEFAULT_LIMIT) -> Page:
    """One page of the desa's queue (the caller has checked the desa is the reviewer's)."""
    ids, following = page_ids(conn, desa, show, only_flagged, after, limit)
    return Page(desa, items.describe(conn, config, ids), following, counts(conn, desa))


def first_page(conn: sa.Connection, desa: str, config: dict | None = None) -> Page:
    """The page a reviewer opens first (bench/review.py times it)."""
    from backend.clinical_config import default_config  # noqa: PLC0415 (bench: no app needed)

    return queue(conn, config or default_config(), desa)
