"""The PWS board: coverage of every indicator per desa and month (docs/pws.md, "Computation").

For a month M and the caller's desa the board gives, per indicator × desa:
* `num_month`  distinct persons with the numerator fact in M;
* `num_cum`    distinct persons over the indicator's period up to M (pws.json `period`:
               monthly and prevalence = M alone, cumulative = January..M, semester =
               January..M or July..M); a person counts once however many facts they have;
* `denominator` and its source (backend/pws/denominators.py); an event or growth denominator
               is counted over the same period as the numerator ("terukur");
* `coverage_month`, `coverage_cum` = 100 × numerator / denominator, one decimal, null when
               the denominator is 0; `prev_coverage_month` is last month's `coverage_month`;
* `target_cum` the cumulative target line of Pedoman PWS-KIA: annual × months elapsed / 12
               (cumulative), annual × months into the semester / 6 (semester), the annual
               target itself (monthly, prevalence);
* `gap_persons` persons still missing to reach the target line (ceil(target × denominator)
               − numerator), or for a ceiling (stunting) the persons above it;
* `status`, `direction` from backend/pws/status.py, judged on exact fractions (a coverage
               shown as 95.0 may lie just under 95); `rank` among the desa (1 = best, ties
               share a rank).
`totals` sums the desa into the Puskesmas (each person belongs to one desa).

Set-based: one grouped query per measure kind and period — month counts of every fact, first
dates per year, first dates per semester, the sasaran, the registered groups — whatever the
number of desa, indicators or months. Months are bucketed with a CASE ladder of dates built
in Python, so SQLite and PostgreSQL run the same SQL with no date functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa

from backend.projections.places import desa_names
from backend.projections.tables import growth_points, pws_events
from backend.pws import denominators, flagged
from backend.pws.catalogue import Catalogue, Indicator, Measure, catalogue
from backend.pws.groups import UNCACHED
from backend.pws.months import Month, months_ending, period_start
from backend.pws.status import direction, pws_status
from backend.review import counts

_COLUMN_FILTERS = ("trend", "bbu", "tbu", "bbtb")


def growth_filter(spec: dict) -> sa.ColumnElement:
    """A pws.json `growth_measures` entry as a condition on growth_points."""
    g = growth_points.c
    clauses = []
    if spec.get("weight"):
        clauses.append(g.weight_kg.is_not(None))
    if spec.get("height"):
        clauses.append(g.height_cm.is_not(None))
    if spec.get("bbtb_any"):
        clauses.append(g.bbtb.is_not(None))
    for column in _COLUMN_FILTERS:
        if column in spec:
            clauses.append(g[column].in_(list(spec[column])))
    if not clauses:
        raise ValueError(f"pws.json growth measure {spec} filters nothing")
    return sa.and_(*clauses)


def _ladder(column, bounds: Sequence[tuple[object, object]]) -> sa.ColumnElement:
    """CASE: the label of the first (last_day, label) pair with column <= last_day.
    Callers group by the labelled column of a subquery, never by the CASE itself: on
    PostgreSQL the CASE's bound parameters in SELECT and GROUP BY are different parameters,
    so the server could not see they are the same expression."""
    if len(bounds) == 1:
        return sa.literal(bounds[0][1])
    return sa.case(*[(column <= last, sa.literal(label)) for last, label in bounds[:-1]],
                   else_=sa.literal(bounds[-1][1]))


def _semester_key(month: Month) -> int:
    return month.year * 2 + (month.month > 6)


class Facts:
    """The distinct-person counts of every numerator and measured denominator over a
    contiguous range of months, loaded in three queries. A growth measure of a prevalence
    indicator is also counted over trusted values only (backend/pws/flagged.py), under the
    kind "trusted", in the same scan."""

    def __init__(self, conn: sa.Connection, cat: Catalogue, desa: Sequence[str],
                 indicators: Sequence[Indicator], first: Month, last: Month):
        # Month counts are needed for the months asked for; the firsts of a year or semester
        # from the start of the earliest month's period.
        self.counted = first
        self.first = min([first, *(period_start(i.period, first) for i in indicators)])
        self.last = last
        self.months = [Month.from_index(k) for k in range(self.first.index, last.index + 1)]
        self.month_counts: dict[tuple, int] = {}
        self.firsts: dict[str, dict[tuple, int]] = {"cumulative": {}, "semester": {}}
        measures = {m for i in indicators for m in (i.numerator, i.denominator)
                    if m.kind != "group"}
        if not measures or not desa:
            return
        events = {m for m in measures if m.kind == "event"}
        if events:
            self._load_event_months(conn, cat, desa, events)
        growth = sorted(m.code for m in measures if m.kind == "growth")
        trusted = sorted({m.code for i in indicators if flagged.leaves_out(cat, i)
                          for m in (i.numerator, i.denominator) if m.kind == "growth"})
        if growth:
            self._load_growth_months(conn, cat, desa, growth, trusted)
        for period in ("cumulative", "semester"):
            used = {m for i in indicators if i.period == period
                    for m in (i.numerator, i.denominator) if m.kind != "group"}
            if used:
                self._load_firsts(conn, cat, desa, used, period)

    def _load_event_months(self, conn, cat, desa, measures) -> None:
        """Distinct persons per event code, desa and month of the months asked for."""
        facts = self._facts(cat, desa, measures, self.counted).subquery()
        bucketed = sa.select(facts, self._bucket(facts.c.date).label("b")).subquery()
        query = (sa.select(bucketed.c.kind, bucketed.c.code, bucketed.c.desa, bucketed.c.b,
                           sa.func.count(sa.distinct(bucketed.c.person_id)))
                 .group_by(bucketed.c.kind, bucketed.c.code, bucketed.c.desa, bucketed.c.b))
        for kind, code, code_desa, b, n in conn.execute(
                query, execution_options=UNCACHED):
            self.month_counts[(kind, code, code_desa, int(b))] = int(n)

    def _load_growth_months(self, conn, cat, desa, names: list[str],
                            trusted: list[str]) -> None:
        """Distinct balita per growth measure, desa and month, in one scan of growth_points
        (a conditional count per measure rather than one scan per measure); the `trusted`
        measures once more over the values free of open flags."""
        g = growth_points.c
        wanted = [("growth", name) for name in names] + [("trusted", name) for name in trusted]
        doubt = [flagged.in_doubt(cat).label("doubt")] if trusted else []
        rows = (sa.select(g.desa, g.person_id, self._bucket(g.date).label("b"), *doubt,
                          *[growth_filter(cat.growth_measures[name]).label(f"m{index}")
                            for index, name in enumerate(names)])
                .where(g.desa.in_(list(desa)), g.date >= self.counted.first_day,
                       g.date <= self.last.last_day)
                .subquery())

        def counted(kind: str, name: str):
            matches = rows.c[f"m{names.index(name)}"]
            if kind == "trusted":
                matches = sa.and_(matches, sa.not_(rows.c.doubt))
            return sa.func.count(sa.distinct(sa.case((matches, rows.c.person_id))))

        query = (sa.select(rows.c.desa, rows.c.b, *[counted(*key) for key in wanted])
                 .group_by(rows.c.desa, rows.c.b))
        for row in conn.execute(query, execution_options=UNCACHED):
            for index, (kind, name) in enumerate(wanted):
                self.month_counts[(kind, name, row[0], int(row[1]))] = int(row[index + 2])

    def _facts(self, cat: Catalogue, desa: Sequence[str], measures,
               first: Month | None = None) -> sa.Select:
        """(kind, code, desa, person_id, date) of every fact of `measures` from `first` (else
        the loaded range's first month) to the last month."""
        lo, hi = (first or self.first).first_day, self.last.last_day
        parts = []
        events = sorted(m.code for m in measures if m.kind == "event")
        if events:
            e = pws_events.c
            parts.append(sa.select(sa.literal("event").label("kind"), e.event.label("code"),
                                   e.desa, e.person_id, e.date)
                         .where(e.desa.in_(list(desa)), e.event.in_(events),
                                e.date >= lo, e.date <= hi))
        g = growth_points.c
        for name in sorted(m.code for m in measures if m.kind == "growth"):
            parts.append(sa.select(sa.literal("growth").label("kind"),
                                   sa.literal(name).label("code"), g.desa, g.person_id, g.date)
                         .where(g.desa.in_(list(desa)), g.date >= lo, g.date <= hi,
                                growth_filter(cat.growth_measures[name])))
        return parts[0] if len(parts) == 1 else sa.union_all(*parts)

    def _load_firsts(self, conn, cat, desa, measures, period: str) -> None:
        """Per person, the first fact of each year (or semester), counted by its month:
        the distinct persons of January..M are the firsts of January..M."""
        facts = self._facts(cat, desa, measures).subquery()
        if period == "cumulative":
            keys = sorted({m.year for m in self.months})
            bounds = [(Month(y, 12).last_day, y) for y in keys]
        else:
            keys = sorted({_semester_key(m) for m in self.months})
            bounds = [(Month(k // 2, 12 if k % 2 else 6).last_day, k) for k in keys]
        parted = sa.select(facts, _ladder(facts.c.date, bounds).label("p")).subquery()
        inner = (sa.select(parted.c.kind, parted.c.code, parted.c.desa,
                           sa.func.min(parted.c.date).label("first"))
                 .group_by(parted.c.kind, parted.c.code, parted.c.desa, parted.c.person_id,
                           parted.c.p)
                 .subquery())
        bucketed = sa.select(inner, self._bucket(inner.c.first).label("b")).subquery()
        query = (sa.select(bucketed.c.kind, bucketed.c.code, bucketed.c.desa, bucketed.c.b,
                           sa.func.count())
                 .group_by(bucketed.c.kind, bucketed.c.code, bucketed.c.desa, bucketed.c.b))
        target = self.firsts[period]
        for kind, code, code_desa, b, n in conn.execute(
                query, execution_options=UNCACHED):
            target[(kind, code, code_desa, int(b))] = int(n)

    def _bucket(self, column) -> sa.ColumnElement:
        """The month index of a date column, within the loaded range."""
        return _ladder(column, [(m.last_day, m.index) for m in self.months])

    def month(self, measure: Measure, desa: str, month: Month, trusted: bool = False) -> int:
        """Distinct persons of `month`; `trusted`: over growth values free of open flags."""
        kind = "trusted" if trusted and measure.kind == "growth" else measure.kind
        return self.month_counts.get((kind, measure.code, desa, month.index), 0)

    def period(self, measure: Measure, desa: str, month: Month, period: str,
               trusted: bool = False) -> int:
        """Distinct persons of the indicator's period up to `month`. Only a prevalence
        (one month) is ever counted over trusted values."""
        if period in ("monthly", "prevalence"):
            return self.month(measure, desa, month, trusted)
        firsts = self.firsts[period]
        start = period_start(period, month)
        return sum(firsts.get((measure.kind, measure.code, desa, k), 0)
                   for k in range(start.index, month.index + 1))


def percent(num: int, den: int) -> Fraction | None:
    return Fraction(100 * num, den) if den else None


def shown(value: Fraction | None) -> float | None:
    """A percent as the API shows it: one decimal, half up."""
    if value is None:
        return None
    tenths = (20 * value.numerator + value.denominator) // (2 * value.denominator)
    return tenths / 10


def target_line(indicator: Indicator, month: Month) -> Fraction:
    """The cumulative target of `month` in percent (Pedoman PWS-KIA target line)."""
    annual = Fraction(str(indicator.target(month.year)))
    if indicator.period == "cumulative":
        return annual * month.months_elapsed / 12
    if indicator.period == "semester":
        return annual * month.months_into_semester / 6
    return annual


def gap(indicator: Indicator, num: int, den: int, target: Fraction) -> int | None:
    """Persons missing to the target line, or above a ceiling; None without a denominator."""
    if not den:
        return None
    line = target * den / 100
    if indicator.lower_is_better:
        return max(0, num - math.floor(line))
    return max(0, math.ceil(line) - num)


@dataclass
class Numbers:
    """One indicator's numbers for one desa (or the Puskesmas) and month."""
    num_month: int
    num_cum: int
    denominator: int
    source: str
    prev_num_month: int
    prev_denominator: int

    def row(self, indicator: Indicator, month: Month) -> dict:
        coverage_month = percent(self.num_month, self.denominator)
        coverage_cum = percent(self.num_cum, self.denominator)
        previous = percent(self.prev_num_month, self.prev_denominator)
        target = target_line(indicator, month)
        return {
            "num_month": self.num_month, "num_cum": self.num_cum,
            "denominator": self.denominator, "denominator_source": self.source,
            "coverage_month": shown(coverage_month), "coverage_cum": shown(coverage_cum),
            "prev_coverage_month": shown(previous), "target_cum": shown(target),
            "gap_persons": gap(indicator, self.num_cum, self.denominator, target),
            "status": pws_status(coverage_cum, target, coverage_month, previous,
                                 indicator.lower_is_better),
            "direction": direction(coverage_month, previous),
            "_coverage_cum": coverage_cum,
        }


class Engine:
    """Everything one request needs, loaded once: the facts of the months asked for and the
    month before the first, and the denominators of each of those months."""

    def __init__(self, conn: sa.Connection, desa: Sequence[str], months: Sequence[Month],
                 indicators: Sequence[Indicator] | None = None, cat: Catalogue | None = None):
        self.cat = cat or catalogue()
        self.desa = tuple(desa)
        self.indicators = tuple(indicators if indicators is not None else self.cat.indicators)
        wanted = sorted(set(months))
        first = wanted[0].previous
        self._numbers: dict[tuple, Numbers] = {}
        self.facts = Facts(conn, self.cat, self.desa, self.indicators, first, wanted[-1])
        groups = sorted({i.denominator.code for i in self.indicators
                         if i.denominator.kind == "group"})
        self.groups = denominators.resolve(
            groups, self.desa, sorted({x for w in wanted for x in (w, w.previous)}), conn,
            self.cat) if groups else {}

    def _denominator(self, indicator: Indicator, code: str, month: Month) -> tuple[int, str]:
        measure = indicator.denominator
        if measure.kind == "group":
            found = self.groups[(month, code, measure.code)]
            return found.value, found.source
        return self.facts.period(measure, code, month, indicator.period,
                                 flagged.leaves_out(self.cat, indicator)), "terukur"

    def numbers(self, indicator: Indicator, code: str, month: Month) -> Numbers:
        key = (indicator.id, code, month)
        if key not in self._numbers:
            self._numbers[key] = self._count(indicator, code, month)
        return self._numbers[key]

    def _count(self, indicator: Indicator, code: str, month: Month) -> Numbers:
        den, source = self._denominator(indicator, code, month)
        prev_den, _ = self._denominator(indicator, code, month.previous)
        trusted = flagged.leaves_out(self.cat, indicator)
        return Numbers(
            num_month=self.facts.month(indicator.numerator, code, month, trusted),
            num_cum=self.facts.period(indicator.numerator, code, month, indicator.period,
                                      trusted),
            denominator=den, source=source,
            prev_num_month=self.facts.month(indicator.numerator, code, month.previous, trusted),
            prev_denominator=prev_den)

    def total(self, indicator: Indicator, month: Month) -> Numbers:
        parts = [self.numbers(indicator, code, month) for code in self.desa]
        return Numbers(
            num_month=sum(p.num_month for p in parts), num_cum=sum(p.num_cum for p in parts),
            denominator=sum(p.denominator for p in parts),
            source=denominators.weakest(p.source for p in parts) or "terdaftar",
            prev_num_month=sum(p.prev_num_month for p in parts),
            prev_denominator=sum(p.prev_denominator for p in parts))


def _rank(cells: list[dict], lower_is_better: bool) -> None:
    """Competition ranking (1, 1, 3) by exact cumulative coverage; none without one.
    One sort: rank = 1 + the number of desa strictly better."""
    scored = sorted((c["_coverage_cum"] for c in cells if c["_coverage_cum"] is not None),
                    reverse=not lower_is_better)
    first_place: dict = {}
    for place, value in enumerate(scored, start=1):
        first_place.setdefault(value, place)
    for cell in cells:
        value = cell["_coverage_cum"]
        cell["rank"] = None if value is None else first_place[value]


def _strip(row: dict) -> dict:
    row.pop("_coverage_cum", None)
    return row


def select_indicators(cat: Catalogue, cluster: str | None = None) -> tuple[Indicator, ...]:
    return tuple(i for i in cat.indicators if cluster is None or i.cluster == cluster)


def board_cells(engine: Engine, month: Month) -> tuple[list[dict], list[dict]]:
    """(cells, totals) of one month from a loaded Engine."""
    cells, totals = [], []
    for indicator in engine.indicators:
        rows = [{"indicator": indicator.id, "desa": code,
                 **engine.numbers(indicator, code, month).row(indicator, month)}
                for code in engine.desa]
        _rank(rows, indicator.lower_is_better)
        cells.extend(_strip(row) for row in rows)
        total = engine.total(indicator, month).row(indicator, month)
        totals.append(_strip({"indicator": indicator.id, **total, "rank": None}))
    return cells, totals


def board(conn: sa.Connection, desa: Sequence[str], month: Month,
          cluster: str | None = None, cat: Catalogue | None = None) -> dict:
    """The board of `month` over `desa` (the caller's scope), optionally one cluster."""
    cat = cat or catalogue()
    indicators = select_indicators(cat, cluster)
    desa = tuple(sorted(desa))
    engine = Engine(conn, desa, [month], indicators, cat)
    cells, totals = board_cells(engine, month)
    return {
        "month": str(month), "months_elapsed": month.months_elapsed,
        "desa": desa_names(conn, desa),
        "indicators": [{"id": i.id, "short": i.short, "label": i.label, "cluster": i.cluster,
                        "period": i.period, "target_pct": i.target(month.year),
                        "target_cum_pct": shown(target_line(i, month))} for i in indicators],
        "cells": cells, "totals": totals,
        "doubt": doubt(conn, desa, month, cat),
    }


def doubt(conn: sa.Connection, desa: Sequence[str], month: Month, cat: Catalogue) -> dict:
    """What the month's figures rest on that the Puskesmas has not reviewed yet (counts only,
    no names: dinkes sees the board too): per desa, records carrying open flags and open
    pairs of possible duplicates (backend/review/counts.py); and whether prevalences leave
    flagged growth values out (backend/pws/flagged.py)."""
    flags = counts.open_flags(conn, desa, month.first_day, month.last_day)
    pairs = counts.open_duplicates(conn, desa, month.first_day, month.last_day)
    return {"excludes_flagged": bool(cat.flagged_rules),
            "desa": [{"desa": code, "open_flags": flags.get(code, 0),
                      "duplicates": pairs.get(code, 0)} for code in desa]}


def trend(conn: sa.Connection, desa: str, indicator_id: str, month: Month,
          cat: Catalogue | None = None) -> dict:
    """The 12 months ending at `month` of one indicator in one desa. KeyError for an
    indicator the catalogue does not have."""
    cat = cat or catalogue()
    indicator = cat.get(indicator_id)
    months = months_ending(month, 12)
    engine = Engine(conn, (desa,), months, (indicator,), cat)
    flags = counts.open_flags_by_month(conn, [desa], months)[desa]
    pairs = counts.open_duplicates_by_month(conn, [desa], months)[desa]
    points = []
    for m in months:
        row = engine.numbers(indicator, desa, m).row(indicator, m)
        points.append({"month": str(m), **{key: row[key] for key in (
            "num_month", "num_cum", "denominator", "coverage_month", "coverage_cum",
            "target_cum", "status")}, "open_flags": flags[str(m)], "duplicates": pairs[str(m)]})
    return {"desa": desa, "indicator": indicator.id, "points": points,
            "excludes_flagged": flagged.leaves_out(cat, indicator)}

