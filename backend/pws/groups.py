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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class PersonRule:
    """A group judged on the person row alone: born after `after` (if set) and on or before
    `until`, and not deceased before `alive_from` (if set). One rule, two uses: a SQL
    condition for the drill-down's list, and bucket bounds for the denominator's count."""
    after: dt.date | None
    until: dt.date
    alive_from: dt.date | None

    def condition(self) -> sa.ColumnElement:
        clauses = [persons.c.birth_date <= self.until]
        if self.after is not None:
            clauses.append(persons.c.birth_date > self.after)
        if self.alive_from is not None:
            clauses.append(_alive_since(self.alive_from))
        return sa.and_(*clauses)


def person_rule(key: str, month: Month) -> PersonRule | None:
    """The PersonRule of group `key` as of `month`'s end, or None for a group judged on a
    related row (a pregnancy, a known-case fact)."""
    spec = catalogue().groups[key]["registered"]
    end, start, jan1 = month.last_day, month.first_day, month.year_start.first_day
    for unit, name in ((1, "age_months"), (12, "age_years")):
        if isinstance(spec, dict) and name in spec:
            low, high = spec[name]
            return PersonRule(None if high is None else latest_birth(end, high * unit),
                              latest_birth(end, (low or 0) * unit), start)
    if spec == "persons":
        return PersonRule(None, end, start)
    if spec == "born_in_year":
        return PersonRule(jan1 - dt.timedelta(days=1), end, None)
    if spec == "infants_in_year":
        # under 12 completed months on some day of January..month: born after the latest
        # birth date of a one-year-old on 1 January; surviving: alive at the month's end
        return PersonRule(latest_birth(jan1, 12), end, end + dt.timedelta(days=1))
    return None


def _living() -> sa.ColumnElement:
    """Not a duplicate merged into another person (docs/review.md, "Merging and undo"): its
    records are the survivor's, so it is registered nowhere."""
    return persons.c.merged_into_id.is_(None)


def _alive_since(day: dt.date) -> sa.ColumnElement:
    return sa.or_(persons.c.deceased_date.is_(None), persons.c.deceased_date >= day)


def _person_select(desa: Sequence[str], condition: sa.ColumnElement) -> sa.Select:
    return (sa.select(persons.c.id.label("person_id"), persons.c.desa)
            .where(persons.c.desa.in_(list(desa)), _living(), condition))


def members(key: str, desa: Sequence[str], month: Month) -> sa.Select:
    """The registered persons of target group `key` in `desa` as of `month`'s end: a select
    of (person_id, desa), each person once. KeyError for a group pws.json does not have."""
    return _person_select(desa, condition(key, month))


def condition(key: str, month: Month) -> sa.ColumnElement:
    """Whether a `persons` row belongs to target group `key` as of `month`'s end."""
    rule = person_rule(key, month)
    if rule is not None:
        return rule.condition()
    spec = catalogue().groups[key]["registered"]
    end, jan1 = month.last_day, month.year_start.first_day
    if isinstance(spec, dict) and "event" in spec:
        known = (sa.select(pws_events.c.person_id)
                 .where(pws_events.c.event == spec["event"], pws_events.c.date <= end))
        return sa.and_(_alive_since(jan1), persons.c.id.in_(known))
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


def _joined(key: str, month: Month) -> tuple[str, sa.ColumnElement]:
    """For counting a group judged on a related row (a pregnancy, a known-case fact): (the
    rows, the condition on them joined to the person), so a count scans the few related rows
    once instead of materialising an IN list per month. Same rules as `condition`
    (tests/pws/test_compute.py compares the two)."""
    spec = catalogue().groups[key]["registered"]
    end, jan1 = month.last_day, month.year_start.first_day
    if isinstance(spec, dict) and "event" in spec:
        return f"event:{spec['event']}", sa.and_(_alive_since(jan1), pws_events.c.date <= end)
    if spec == "pregnant_in_year":
        return "pregnancies", sa.and_(_alive_since(jan1), _pregnant_between(jan1, end))
    if spec == "delivered_in_year":
        return "pregnancies", sa.and_(_alive_since(jan1),
                                      pregnancies.c.delivery_date.between(jan1, end))
    raise ValueError(f"pws.json group {key}: registered {spec!r} is not a known kind")


def _source(name: str, desa: Sequence[str]) -> tuple[sa.FromClause, list[sa.ColumnElement]]:
    if name == "pregnancies":
        return pregnancies.join(persons, persons.c.id == pregnancies.c.person_id), []
    # A fact carries its person's desa (refresh.py rewrites them when a person moves): the
    # desa filter on the fact lets the (desa, event, date) index find them.
    code = name.removeprefix("event:")
    return (pws_events.join(persons, persons.c.id == pws_events.c.person_id),
            [pws_events.c.event == code, pws_events.c.desa.in_(list(desa))])


def _bucket(column, bounds: Sequence[dt.date], lo: int = 0, hi: int | None = None):
    """The smallest k with column <= bounds[k] (len(bounds) when none): a balanced tree of
    CASEs, so each row costs log2(len(bounds)) date comparisons, not one per bound."""
    hi = len(bounds) if hi is None else hi
    if lo == hi:
        return sa.literal(lo)
    mid = (lo + hi) // 2
    return sa.case((column <= bounds[mid], _bucket(column, bounds, lo, mid)),
                   else_=_bucket(column, bounds, mid + 1, hi))


def _person_counts(rules: dict[tuple[Month, str], PersonRule], desa: Sequence[str],
                   conn: sa.Connection) -> dict[tuple[Month, str, str], int]:
    """Counts of person-row groups from one histogram of persons per desa, birth-date bucket
    and death-date bucket, the buckets bounded by exactly the dates the rules compare with,
    so every rule is a sum of whole buckets."""
    births = sorted({d for r in rules.values() for d in (r.after, r.until) if d is not None})
    # deceased >= alive_from  <=>  deceased > alive_from - 1 day
    deaths = sorted({r.alive_from - dt.timedelta(days=1) for r in rules.values()
                     if r.alive_from is not None})
    p = persons.c
    dead = (sa.case((p.deceased_date.is_(None), sa.literal(-1)),
                    else_=_bucket(p.deceased_date, deaths)) if deaths else sa.literal(-1))
    rows = (sa.select(p.desa, _bucket(p.birth_date, births).label("b"), dead.label("d"))
            .where(p.desa.in_(list(desa)), _living()).subquery())
    query = (sa.select(rows.c.desa, rows.c.b, rows.c.d, sa.func.count())
             .group_by(rows.c.desa, rows.c.b, rows.c.d))
    histogram = [(code, int(b), int(d), int(n))
                 for code, b, d, n in conn.execute(query, execution_options=UNCACHED)]
    result: dict[tuple[Month, str, str], int] = {}
    for (month, key), rule in rules.items():
        # bucket b holds births in (births[b-1], births[b]]
        first = 0 if rule.after is None else births.index(rule.after) + 1
        last = births.index(rule.until)
        # bucket d holds deaths in (deaths[d-1], deaths[d]]; -1 = alive
        alive_from = (-1 if rule.alive_from is None else
                      deaths.index(rule.alive_from - dt.timedelta(days=1)) + 1)
        for code in desa:
            result[(month, code, key)] = 0
        for code, b, d, n in histogram:
            if first <= b <= last and (d == -1 or rule.alive_from is None or d >= alive_from):
                result[(month, code, key)] += n
    return result


def counts(keys: Sequence[str], desa: Sequence[str], months: Sequence[Month],
           conn: sa.Connection) -> dict[tuple[Month, str, str], int]:
    """{(month, desa, group): registered persons} for every group of `keys` and month of
    `months`: one histogram of `persons` for the groups judged on the person row, one grouped
    scan of pregnancies and one per known-case event code for the others (distinct persons
    per group and month). A missing key reads as 0."""
    if not keys or not desa:
        return {}
    rules: dict[tuple[Month, str], PersonRule] = {}
    by_source: dict[str, list[tuple[Month, str, sa.ColumnElement]]] = {}
    for month in sorted(set(months)):
        for key in sorted(set(keys)):
            rule = person_rule(key, month)
            if rule is not None:
                rules[(month, key)] = rule
                continue
            name, where = _joined(key, month)
            by_source.setdefault(name, []).append((month, key, where))
    result = _person_counts(rules, desa, conn) if rules else {}
    for name, pairs in by_source.items():
        source, filters = _source(name, desa)
        counted = [sa.func.count(sa.distinct(sa.case((where, persons.c.id)))).label(f"n{i}")
                   for i, (_, _, where) in enumerate(pairs)]
        query = (sa.select(persons.c.desa, *counted).select_from(source)
                 .where(persons.c.desa.in_(list(desa)), _living(), *filters)
                 .group_by(persons.c.desa))
        for row in conn.execute(query, execution_options=UNCACHED):
            for index, (month, key, _) in enumerate(pairs):
                result[(month, row[0], key)] = int(row[index + 1] or 0)
    return result
