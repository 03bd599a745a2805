"""A second, deliberately naive computation of the PWS numbers: person by person in Python
over the fact rows, with ages from backend/clinical/dates.py `completed_months` rather than
the birth-date bounds of backend/pws/groups.py. The village test and bench/pws.py check that
backend/pws/compute.py (set-based SQL) agrees with it on every cell.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from backend.clinical.dates import completed_months
from backend.projections.tables import growth_points, persons, pregnancies, pws_events
from backend.pws.catalogue import Catalogue, Indicator
from backend.pws.denominators import convention_factor, persons_of
from backend.pws.months import Month, period_start
from backend.pws.tables import sasaran

GESTATION = dt.timedelta(days=280)


class Rows:
    """Every row the reference needs, read once (no SQL filtering beyond the desa)."""

    def __init__(self, conn: sa.Connection, desa: Sequence[str]):
        def rows(table):
            return [dict(r._mapping) for r in conn.execute(
                sa.select(table).where(table.c.desa.in_(list(desa))))]
        self.persons = rows(persons)
        self.pregnancies = [dict(r._mapping) for r in conn.execute(sa.select(pregnancies))]
        self.events = rows(pws_events)
        self.growth = rows(growth_points)
        self.sasaran = {(r["desa"], r["year"], r["target_group"]): r["value"]
                        for r in rows(sasaran)}


def _alive(person: dict, since: dt.date) -> bool:
    return person["deceased_date"] is None or person["deceased_date"] >= since


def _in_group(cat: Catalogue, key: str, person: dict, month: Month, rows: Rows,
              events_by_person: dict, pregnancies_by_person: dict) -> bool:
    spec = cat.groups[key]["registered"]
    end, start, jan1 = month.last_day, month.first_day, month.year_start.first_day
    birth = person["birth_date"]
    if isinstance(spec, dict) and ("age_months" in spec or "age_years" in spec):
        unit = 1 if "age_months" in spec else 12
        low, high = spec.get("age_months") or spec["age_years"]
        if birth > end or not _alive(person, start):
            return False
        age = completed_months(birth, end)
        return age >= low * unit and (high is None or age < high * unit)
    if isinstance(spec, dict) and "event" in spec:
        return _alive(person, jan1) and any(
            e["event"] == spec["event"] and e["date"] <= end
            for e in events_by_person[person["id"]])
    if spec == "persons":
        return birth <= end and _alive(person, start)
    if spec == "born_in_year":
        return jan1 <= birth <= end
    if spec == "infants_in_year":
        # under 12 completed months on some day of January..month: on 1 January at the latest
        young = birth > jan1 or completed_months(birth, jan1) < 12
        return birth <= end and young and _alive(person, end + dt.timedelta(days=1))
    mine = pregnancies_by_person[person["id"]]
    if not _alive(person, jan1):
        return False
    if spec == "delivered_in_year":
        return any(p["delivery_date"] and jan1 <= p["delivery_date"] <= end for p in mine)
    if spec == "pregnant_in_year":
        for p in mine:
            begin = p["hpht"] or (p["hpl"] - GESTATION if p["hpl"] else None)
            over = p["delivery_date"] or p["hpl"] or (
                p["hpht"] + GESTATION if p["hpht"] else None)
            if begin is not None and over is not None and begin <= end and over >= jan1:
                return True
        return False
    raise ValueError(spec)


def _growth_match(spec: dict, row: dict) -> bool:
    if spec.get("weight") and row["weight_kg"] is None:
        return False
    if spec.get("height") and row["height_cm"] is None:
        return False
    if spec.get("bbtb_any") and row["bbtb"] is None:
        return False
    return all(row[c] in spec[c] for c in ("trend", "bbu", "tbu", "bbtb") if c in spec)


def numbers(cat: Catalogue, rows: Rows, desa: Sequence[str], month: Month,
            indicators: Sequence[Indicator]) -> dict[tuple[str, str], tuple]:
    """{(indicator, desa): (num_month, num_cum, denominator, source)}."""
    events_by_person = defaultdict(list)
    for e in rows.events:
        events_by_person[e["person_id"]].append(e)
    pregnancies_by_person = defaultdict(list)
    for p in rows.pregnancies:
        pregnancies_by_person[p["person_id"]].append(p)

    events_by_code = defaultdict(list)
    for e in rows.events:
        events_by_code[(e["desa"], e["event"])].append(e)
    growth_by_desa = defaultdict(list)
    for g in rows.growth:
        growth_by_desa[g["desa"]].append(g)
    persons_by_desa = defaultdict(list)
    for p in rows.persons:
        persons_by_desa[p["desa"]].append(p)

    def persons_with(measure, code, first: Month, last: Month) -> set:
        lo, hi = first.first_day, last.last_day
        if measure.kind == "event":
            return {e["person_id"] for e in events_by_code[(code, measure.code)]
                    if lo <= e["date"] <= hi}
        spec = cat.growth_measures[measure.code]
        return {g["person_id"] for g in growth_by_desa[code]
                if lo <= g["date"] <= hi and _growth_match(spec, g)}

    result = {}
    for indicator in indicators:
        start = period_start(indicator.period, month)
        for code in desa:
            num_month = len(persons_with(indicator.numerator, code, month, month))
            num_cum = len(persons_with(indicator.numerator, code, start, month))
            den = indicator.denominator
            if den.kind != "group":
                value, source = len(persons_with(den, code, start, month)), "terukur"
            elif (code, month.year, den.code) in rows.sasaran:
                value, source = rows.sasaran[(code, month.year, den.code)], "resmi"
            else:
                convention = convention_factor(cat, den.code)
                base = rows.sasaran.get((code, month.year, convention[0])) if convention else None
                if base is not None:
                    value, source = persons_of(base * convention[1]), "konvensi"
                else:
                    value = sum(1 for p in persons_by_desa[code] if _in_group(
                        cat, den.code, p, month, rows, events_by_person, pregnancies_by_person))
                    source = "terdaftar"
            result[(indicator.id, code)] = (num_month, num_cum, value, source)
    return result
