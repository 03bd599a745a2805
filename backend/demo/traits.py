"""Hidden health truths per person, drawn once, so every visit tells a consistent story.

Rates follow Indonesian surveys: hypertension ~30 % of adults rising steeply with age and diabetes
~7 % (Riskesdas 2018 / SKI 2023); smoking ~62 % of men, ~3 % of women; stunting ~20 % and wasting
~7 % of balita (SSGI 2022-2023); SRQ-20 positive ~10 % (Riskesdas 2018); TB ~0.4 % and severe
mental illness (ODGJ berat) ~0.2 % over two years.
"""

from __future__ import annotations

import datetime as dt
import random

from backend.demo.common import chance, clamp
from backend.demo.model import Member

# Upper age bound (exclusive) -> probability.
_HYPERTENSION = ((25, 0.08), (35, 0.12), (45, 0.25), (55, 0.40), (65, 0.55), (75, 0.64),
                 (200, 0.70))
_DIABETES = ((35, 0.01), (45, 0.04), (55, 0.09), (65, 0.14), (200, 0.15))
# Share of a chronic condition already diagnosed before the records start; the rest may be
# found by screening (Riskesdas: about 1 in 3 hypertensives knows it).
_KNOWN_BEFORE = {"I10": 0.4, "E11.9": 0.4, "F20.9": 0.9}
# Immunization behaviour of a child's family (IDL ~85 %, docs/domain.md §2).
_IMMUNIZATION = (("complete", 0.77), ("late", 0.11), ("dropout", 0.08), ("refuse", 0.04))


def _by_age(table: tuple[tuple[int, float], ...], age: int) -> float:
    return next(p for below, p in table if age < below)


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    names, weights = zip(*options, strict=True)
    return rng.choices(names, weights=weights)[0]


def assign(rng: random.Random, member: Member, today: dt.date, start: dt.date) -> None:
    age = member.age(today)
    if age < 7:
        _child(rng, member, today)
    if age >= 15:
        _adult(rng, member, age, start)


def _child(rng: random.Random, member: Member, today: dt.date) -> None:
    h = member.health
    h.haz = rng.gauss(-1.15, 1.1)
    h.whz = rng.gauss(-0.35, 0.9)
    h.head_z = rng.gauss(0, 0.7)
    # About one child in ten falters (an illness, a new sibling, weaning) some time in the
    # last ten months: weighings stop rising for a few months (T, 2T), then recover.
    if chance(rng, 0.1):
        h.falter_from = today - dt.timedelta(days=rng.randint(20, 300))
    h.immunization = _pick(rng, _IMMUNIZATION)
    h.exclusive_breastfeeding = chance(rng, 0.62)


def _adult(rng: random.Random, member: Member, age: int, start: dt.date) -> None:
    h, male = member.health, member.sex == "L"
    h.stature_z = rng.gauss(0, 1)
    h.height_cm = (164 + 6 * h.stature_z) if male else (152 + 5.5 * h.stature_z)
    h.bmi = clamp(rng.gauss(23, 3.8) if male else rng.gauss(24.5, 4.5), 15.5, 45)
    h.smoker = chance(rng, (0.35 if age < 20 else 0.62) if male else 0.03)
    if h.smoker:
        h.pack_years = round(max(0.5, rng.gauss(12, 5)) / 20 * max(1, age - 16), 1)
    # Chronic disease only for those already adults when the records start (>= 20 today): a
    # 13-year-old on monthly hypertension controls at the Puskesmas is not a believable record.
    adult_at_start = age >= 20
    if adult_at_start and chance(rng, _by_age(_HYPERTENSION, age)):
        h.conditions.add("I10")
        h.sbp = round(rng.gauss(154, 11))
    else:
        h.sbp = round(min(137, 102 + 0.35 * (age - 15) + rng.gauss(0, 9)))
    h.dbp = round(clamp(h.sbp * 0.6 + rng.gauss(4, 5), 55, h.sbp - 25))
    if adult_at_start and chance(rng, _by_age(_DIABETES, age)):
        h.conditions.add("E11.9")
    h.glucose = rng.gauss(235, 45) if "E11.9" in h.conditions else clamp(
        rng.gauss(104, 15), 70, 180)
    for code, rate in (("A15.0", 0.004), ("F20.9", 0.002)):
        if chance(rng, rate):
            h.conditions.add(code)
    h.distressed = chance(rng, 0.10)
    h.family_planning = member.sex == "P" and age < 50 and chance(rng, 0.6)
    h.adherence = _pick(rng, (("regular", 0.35), ("irregular", 0.35), ("lost", 0.3)))
    for code in sorted(h.conditions & _KNOWN_BEFORE.keys()):  # TB is found during the records
        if chance(rng, _KNOWN_BEFORE[code]):
            h.diagnosed[code] = start - dt.timedelta(days=rng.randint(60, 2000))
