"""PWS target groups (config/ilp/pws.json `groups`) as the registered persons in them.

Used twice: counted per desa for the registered-population fallback of a denominator
(backend/pws/denominators.py), and listed by the drill-down (backend/pws/drilldown.py) to
find who in a group has no numerator event yet.

A group is judged as of the month's last day. Age arithmetic happens in Python: an age range
becomes a pair of birth-date bounds, and SQL only compares dates, so SQLite and PostgreSQL
agree to the day (no dialect's date functions are involved). Ages are completed months as
backend/clinical/dates.py counts them (the largest m with birth + m months <= the day).

Who is alive (docs/pws.md, "Denominators"):
* population groups (an age range, `persons`): not deceased before the month's first day;
  a person who died during the month was still part of it;
* groups of the year (`born_in_year`, `pregnant_in_year`, `delivered_in_year`, known cases
  `{"event": ...}`): not deceased before 1 January; a mother who died in March was still a
  pregnant woman of that year's programme and a live birth stays a live birth;
* `infants_in_year` are surviving infants (Kemenkes: "surviving infant" = live births minus
  infant deaths): alive at the month's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from backend.clinical.dates import add_months
from backend.projections.tables import persons, pregnancies, pws_events
from backend.pws.catalogue import catalogue
from backend.pws.months import Month

# The statements here are long (a CASE per group and month, a CASE ladder per month) and
# their shape changes with the months asked for: SQLAlchemy's cache key for them costs more
# than compiling them afresh, so they bypass the compiled cache.
UNCACHED = {"compiled_cache": None}

# A pregnancy lasts 280 days from HPHT to HPL (Naegele); a pregnancy known only by one of
# the two dates is placed in time with the other derived from it.
GESTATION = dt.timedelta(days=280)


def latest_birth(on: dt.date, months: int) -> dt.date:
    """The latest birth date of a person at least `months` completed months old on `on`.

    Completed months are monotone in the birth date, so the persons `months` or older are
    exactly those born on or before this day. Start from `on` - months and step forward past
    the days a month-end clamp lets through (born 29 February, 12 months old on 28 February).
    """
    day = add_months(on, -months)
    while add_months(day + dt.timedelta(days=1), months) <= on:
        day += dt.timedelta(days=1)
    return day


def _age_bounds(spec: list, unit_months: int, on: dt.date) -> list[sa.ColumnElement]:
    low, high = spec
    clauses = []
    if low is not None:
        clauses.append(persons.c.birth_date <= latest_birth(on, low * unit_months))
    if high is not None:
        clauses.append(persons.c.birth_date > latest_birth(on, high * unit_months))
    return clauses


def _alive_since(day: dt.date) -> sa.ColumnElement:
    return sa.or_(persons.c.deceased_date.is_(None), persons.c.deceased_date >= day)


def _person_select(desa: Sequence[str], condition: sa.ColumnElement) -> sa.Select:
    return (sa.select(persons.c.id.label("person_id"), persons.c.desa)
            .where(persons.c.desa.in_(list(desa)), condition))


def members(key: str, desa: Sequence[str], month: Month) -> sa.Select:
    """The registered persons of target group `key` in `desa` as of `month`'s end: a select
    of (person_id, desa), each person once. KeyError for a group pws.json does not have."""
    return _person_select(desa, condition(key, month))


def condition(key: str, month: Month) -> sa.ColumnElement:
    """Whether a `persons` row belongs to target group `key` as of `month`'s end (a condition
    on one persons row, so several groups and months are counted in one scan)."""
    spec = catalogue().groups[key]["registered"]
    end, start, jan1 = month.last_day, month.first_day, month.year_start.first_day
    born = persons.c.birth_date <= end
    if isinstance(spec, dict) and "age_months" in spec:
        return sa.and_(born, _alive_since(start), *_age_bounds(spec["age_months"], 1, end))
    if isinstance(spec, dict) and "age_years" in spec:
        return sa.and_(born, _alive_since(start), *_age_bounds(spec["age_years"], 12, end))
    if isinstance(spec, dict) and "event" in spec:
        known = (sa.select(pws_events.c.person_id)
                 .where(pws_events.c.event == spec["event"], pws_events.c.date <= end))
        return sa.and_(_alive_since(jan1), persons.c.id.in_(known))
    if spec == "persons":
        return sa.and_(born, _alive_since(start))
    if spec == "born_in_year":
        return persons.c.birth_date.between(jan1, end)
    if spec == "infants_in_year":
        # under 12 completed months on some day of January..month: born after the latest
        # birth date of a one-year-old on 1 January
        return sa.and_(born, persons.c.birth_date > latest_birth(jan1, 12),
                       _alive_since(end + dt.timedelta(days=1)))
    if spec == "pregnant_in_year":
        return _mothers(jan1, _pregnant_between(jan1, end))
    if spec == "delivered_in_year":
        return _mothers(jan1, pregnancies.c.delivery_date.between(jan1, end))
    raise ValueError(f"pws.json group {key}: registered {spec!r} is not a known kind")


def _pregnant_between(first: dt.date, last: dt.date) -> sa.ColumnElement:
    """A pregnancy overlapping [first, last]: begun (HPHT, else HPL - 280 days) by `last`
    and not over (delivery, else HPL, else HPHT + 280 days) before `first`. A pregnancy
    with neither HPHT nor HPL cannot be placed in time and counts nowhere."""
    p = pregnancies.c
    begun = sa.or_(p.hpht <= last, sa.and_(p.hpht.is_(None), p.hpl <= last + GESTATION))
    not_over = sa.or_(
        p.delivery_date >= first,
        sa.and_(p.delivery_date.is_(None), p.hpl >= first),
        sa.and_(p.delivery_date.is_(None), p.hpl.is_(None), p.hpht >= first - GESTATION))
    return sa.and_(begun, not_over)


def _mothers(alive_from: dt.date, which: sa.ColumnElement) -> sa.ColumnElement:
    """Mothers (each once) with a pregnancy meeting `which`, counted in the mother's own
    desa as every PWS number is (pws_events.desa is the person's desa)."""
    mothers = sa.select(pregnancies.c.person_id).where(which)
    return sa.and_(_alive_since(alive_from), persons.c.id.in_(mothers))


def counts(keys: Sequence[str], desa: Sequence[str], months: Sequence[Month],
           conn: sa.Connection) -> dict[tuple[Month, str, str], int]:
    """{(month, desa, group): registered persons} for every group of `keys` and month of
    `months`, in one grouped scan of `persons` (one CASE sum per group and month; a persons
    row is one person, so the sums count distinct persons). A missing key reads as 0."""
    pairs = [(month, key) for month in sorted(set(months)) for key in sorted(set(keys))]
    if not pairs or not desa:
        return {}
    sums = [sa.func.sum(sa.case((condition(key, month), 1), else_=0)).label(f"n{index}")
            for index, (month, key) in enumerate(pairs)]
    query = (sa.select(persons.c.desa, *sums).where(persons.c.desa.in_(list(desa)))
             .group_by(persons.c.desa))
    result = {}
    for row in conn.execute(query, execution_options=UNCACHED):
        for index, (month, key) in enumerate(pairs):
            result[(month, row[0], key)] = int(row[index + 1] or 0)
    return result
