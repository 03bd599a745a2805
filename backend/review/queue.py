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
arrive while a reviewer pages show on the next first page, never twice (`page_ids`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from backend.clinical import default_config
from backend.projections.tables import encounters, persons, quality_flags
from backend.review import items
from backend.review.state import flag_open
from backend.review.tables import reviews
from backend.sync.tables import documents, sync_meta

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


def _shown(d, show: str) -> list[sa.ColumnElement[bool]]:
    if show == "open":
        return [is_open(d)]
    if show == "reviewed":
        return [~is_open(d)]
    return []


def encode(pass_: str, seq: int, horizon: int) -> str:
    text = f"{pass_}.{seq}.{horizon}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[str, int, int]:
    """(pass, last seq shown, horizon) of a cursor; BadCursor for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        pass_, seq, horizon = text.split(".")
        if pass_ in (FLAGGED, REST):
            return pass_, int(seq), int(horizon)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadCursor(cursor)


def _flagged_ids(desa: str) -> sa.Select:
    """The desa's records with an open flag (few: read off `quality_flags` by desa)."""
    q = quality_flags.alias("qf")
    return sa.select(q.c.doc_id).where(q.c.desa == desa, flag_open(q)).distinct()


def _pass(conn: sa.Connection, desa: str, show: str, pass_: str, before: int | None,
          horizon: int, n: int) -> list[tuple[str, int]]:
    """Up to `n` (id, seq) of one pass, newest first, below `before` and up to `horizon`.

    The rest pass leaves the flagged records out here rather than in SQL: a NOT EXISTS on
    the flags per record let PostgreSQL, with stale statistics after a large sync, compare
    every record with every flag (150 ms at scale 10); reading `n` plus at most the number of
    flagged records off the `(scope, seq)` index costs the same whatever the statistics."""
    d = _doc()
    where = [d.c.scope == desa, is_record(d), *_shown(d, show), d.c.seq <= horizon]
    if before is not None:
        where.append(d.c.seq < before)
    if pass_ == FLAGGED:
        where.append(d.c.id.in_(_flagged_ids(desa)))
        stmt = sa.select(d.c.id, d.c.seq).where(*where).order_by(d.c.seq.desc()).limit(n)
        return [(row.id, row.seq) for row in conn.execute(stmt)]
    flagged = set(conn.execute(_flagged_ids(desa)).scalars())
    stmt = (sa.select(d.c.id, d.c.seq).where(*where).order_by(d.c.seq.desc())
            .limit(n + len(flagged)))
    return [(row.id, row.seq) for row in conn.execute(stmt) if row.id not in flagged][:n]


def page_ids(conn: sa.Connection, desa: str, show: str = "open", only_flagged: bool = False,
             after: str | None = None, limit: int = DEFAULT_LIMIT
             ) -> tuple[list[str], str | None]:
    """The ids of one page in queue order, and the cursor of the next (None at the end).

    The first page fixes a horizon, the store's update sequence then: later pages show only
    records stored up to it, so what arrives while a reviewer pages waits for the next first
    page instead of slipping into the rest pass, twice or out of order."""
    if after:
        pass_, before, horizon = decode(after)
    else:
        pass_, before = FLAGGED, None
        horizon = conn.execute(sa.select(sync_meta.c.update_seq)).scalar() or 0
    rows: list[tuple[str, str, int]] = []
    if pass_ == FLAGGED:
        rows = [(FLAGGED, i, s) for i, s in
                _pass(conn, desa, show, FLAGGED, before, horizon, limit + 1)]
        before = None
    if not only_flagged and len(rows) <= limit:
        rows += [(REST, i, s) for i, s in
                 _pass(conn, desa, show, REST, before, horizon, limit + 1 - len(rows))]
    more = len(rows) > limit
    rows = rows[:limit]
    following = encode(rows[-1][0], rows[-1][2], horizon) if more and rows else None
    return [i for _, i, _ in rows], following


def counts(conn: sa.Connection, desa: str) -> dict[str, int]:
    """Open records of the desa, and how many of them carry an open flag."""
    d = _doc()
    base = sa.and_(d.c.scope == desa, is_record(d), is_open(d))
    total = conn.execute(sa.select(sa.func.count()).select_from(d).where(base)).scalar()
    with_flags = conn.execute(sa.select(sa.func.count()).select_from(d).where(
        base, d.c.id.in_(_flagged_ids(desa)))).scalar()
    return {"open": int(total or 0), "flagged_open": int(with_flags or 0)}


def queue(conn: sa.Connection, config: dict, desa: str, show: str = "open",
          only_flagged: bool = False, after: str | None = None,
          limit: int = DEFAULT_LIMIT, scopes: Iterable[str] | None = None) -> Page:
    """One page of the desa's queue (the caller has checked the desa is the reviewer's);
    `scopes`, the reviewer's desa (default: this one), bound what the items name."""
    ids, following = page_ids(conn, desa, show, only_flagged, after, limit)
    described = items.describe(conn, config, ids, scopes if scopes is not None else [desa])
    return Page(desa, described, following, counts(conn, desa))


def first_page(conn: sa.Connection, desa: str, config: dict | None = None) -> Page:
    """The page a reviewer opens first (bench/review.py times it); `config` defaults to the
    repository's config/ilp, so a bench needs no app for it."""
    return queue(conn, config or default_config(), desa)
