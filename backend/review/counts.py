"""How much of a desa's month is still in doubt: records with open flags, open duplicate pairs.

Counts only, never names: the review progress (`/api/v1/review/progress`) and the PWS board
(which dinkes sees too) show them next to the figures they put in doubt (docs/review.md, "PWS
honesty"). What "open" means is `backend.review.state`'s alone.

* A **record** counts once however many of its rules fired, in the month of its record date
  (`quality_flags.date`: encounter date, HPHT or registration) and in its person's desa. A
  person merged into another is no longer a person PWS counts, so the flags left on their own
  record are not counted either (their visits moved to the survivor and are flagged there).
* A **pair** counts in the month of its date (the later registration) and in each desa it
  touches: once in a desa holding both persons, once in each when a kader registered a
  neighbour's child in her own desa.

Each query groups by desa and date, never by month: a record or a pair has one date, so
summing the date groups of a month in Python counts each once, and SQLite and PostgreSQL run
the same SQL with no date functions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

import sqlalchemy as sa

from backend.projections.tables import duplicate_pairs, persons, quality_flags
from backend.review.state import flag_open, pair_open

MonthCounts = dict[str, dict[str, int]]   # desa → "YYYY-MM" → n


class Period(Protocol):
    """A calendar month as PWS names it (backend/pws/months.py `Month`, which review does not
    import: PWS builds on review, not the other way): its first and last day, and `str()` its
    "YYYY-MM" key."""

    first_day: dt.date
    last_day: dt.date


def _flag_rows(conn: sa.Connection, desa_codes: Sequence[str], first: dt.date,
               last: dt.date) -> Iterable[tuple[str, dt.date, int]]:
    """(desa, date, records with ≥1 open flag on that date)."""
    f = quality_flags.c
    merged = sa.select(persons.c.id).where(persons.c.merged_into_id.is_not(None))
    query = (sa.select(f.desa, f.date, sa.func.count(sa.distinct(f.doc_id)))
             .where(f.desa.in_(list(desa_codes)), f.date >= first, f.date <= last,
                    f.person_id.not_in(merged), flag_open(quality_flags))
             .group_by(f.desa, f.date))
    return conn.execute(query).all()


def _pair_rows(conn: sa.Connection, desa_codes: Sequence[str], first: dt.date,
               last: dt.date) -> Iterable[tuple[str, dt.date, int]]:
    """(desa, date, open pairs touching the desa on that date): a pair of one desa once."""
    p = duplicate_pairs.c
    codes = list(desa_codes)
    in_range = sa.and_(p.date >= first, p.date <= last, pair_open(duplicate_pairs))
    side_a = sa.select(p.desa_a.label("desa"), p.date.label("date"), p.id.label("pair")).where(
        in_range, p.desa_a.in_(codes))
    side_b = sa.select(p.desa_b.label("desa"), p.date.label("date"), p.id.label("pair")).where(
        in_range, p.desa_b.in_(codes), p.desa_b != p.desa_a)
    sides = sa.union_all(side_a, side_b).subquery()
    query = (sa.select(sides.c.desa, sides.c.date, sa.func.count())
             .group_by(sides.c.desa, sides.c.date))
    return conn.execute(query).all()


def _total(rows: Iterable[tuple[str, dt.date, int]], desa_codes: Sequence[str]) -> dict[str, int]:
    totals = Counter({code: 0 for code in desa_codes})
    for desa, _day, n in rows:
        totals[desa] += n
    return dict(totals)


def _by_month(rows: Iterable[tuple[str, dt.date, int]], desa_codes: Sequence[str],
              months: Sequence[Period]) -> MonthCounts:
    out = {code: {str(m): 0 for m in months} for code in desa_codes}
    for desa, day, n in rows:
        key = f"{_as_date(day):%Y-%m}"
        if key in out[desa]:
            out[desa][key] += n
    return out


def _as_date(value) -> dt.date:
    # SQLite hands a grouped Date back as text on some drivers; PostgreSQL as a date.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def open_flags(conn: sa.Connection, desa_codes: Sequence[str], first_day: dt.date,
               last_day: dt.date) -> dict[str, int]:
    """Per desa: records dated first_day..last_day carrying at least one open flag."""
    if not desa_codes:
        return {}
    return _total(_flag_rows(conn, desa_codes, first_day, last_day), desa_codes)


def open_duplicates(conn: sa.Connection, desa_codes: Sequence[str], first_day: dt.date,
                    last_day: dt.date) -> dict[str, int]:
    """Per desa: open pairs of possible duplicates dated first_day..last_day touching it."""
    if not desa_codes:
        return {}
    return _total(_pair_rows(conn, desa_codes, first_day, last_day), desa_codes)


def open_flags_by_month(conn: sa.Connection, desa_codes: Sequence[str],
                        months: Sequence[Period]) -> MonthCounts:
    """`open_flags` for each of `months` (consecutive or not) in one query."""
    if not desa_codes or not months:
        return {code: {} for code in desa_codes}
    rows = _flag_rows(conn, desa_codes, min(months).first_day, max(months).last_day)
    return _by_month(rows, desa_codes, months)


def open_duplicates_by_month(conn: sa.Connection, desa_codes: Sequence[str],
                             months: Sequence[Period]) -> MonthCounts:
    """`open_duplicates` for each of `months` in one query."""
    if not desa_codes or not months:
        return {code: {} for code in desa_codes}
    rows = _pair_rows(conn, desa_codes, min(months).first_day, max(months).last_day)
    return _by_month(rows, desa_codes, months)
