"""How far review has come, per desa and month (docs/review.md, "The review queue").

For each desa of the reviewer and one month, by record date (a visit's date; a pregnancy's
HPHT, else the day it was registered; a person's registration day):

* `records` — live records of the queue (persons not merged away, pregnancies, encounters);
* `reviewed` — those with a verdict (any: an edit after it sends the record back to the
  queue, but the record was looked at in that month's review);
* `share` — reviewed / records, None for a month without records;
* `open_flags`, `duplicates` — backend/review/counts.py, the same numbers PWS shows.

Counted with a few grouped queries over indexes by (desa, date), never per record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from backend.projections.places import desa_names
from backend.projections.tables import encounters, persons, pregnancies
from backend.review import counts
from backend.review.counts import Period
from backend.review.tables import reviews


def _counts(conn: sa.Connection, codes: list[str], first: dt.date, last: dt.date
            ) -> tuple[Counter, Counter]:
    """(records, reviewed) per desa: each record once, with or without its verdict row."""
    records: Counter = Counter()
    reviewed: Counter = Counter()
    pregnancy_day = sa.func.coalesce(pregnancies.c.hpht, pregnancies.c.registered_on)
    for table, day, extra in (
            (encounters, encounters.c.date, ()),
            (persons, persons.c.registered_on, (persons.c.merged_into_id.is_(None),)),
            (pregnancies, pregnancy_day, ())):
        query = (sa.select(table.c.desa, sa.func.count(), sa.func.count(reviews.c.doc_id))
                 .select_from(table.outerjoin(reviews, reviews.c.doc_id == table.c.id))
                 .where(table.c.desa.in_(codes), day >= first, day <= last, *extra)
                 .group_by(table.c.desa))
        for code, n, done in conn.execute(query):
            records[code] += n
            reviewed[code] += done
    return records, reviewed


def progress(conn: sa.Connection, desa: Sequence[str], month: Period) -> list[dict]:
    """One row per desa of `desa` (code order), zeros included."""
    codes = sorted(desa)
    first, last = month.first_day, month.last_day
    records, reviewed = _counts(conn, codes, first, last)
    flags = counts.open_flags(conn, codes, first, last)
    pairs = counts.open_duplicates(conn, codes, first, last)
    return [{"desa": row["code"], "name": row["name"], "records": records[row["code"]],
             "reviewed": reviewed[row["code"]],
             "share": (round(reviewed[row["code"]] / records[row["code"]], 4)
                       if records[row["code"]] else None),
             "open_flags": flags.get(row["code"], 0), "duplicates": pairs.get(row["code"], 0)}
            for row in desa_names(conn, codes)]
