"""Yearly life-cycle screening of remaja, adults and lansia (docs/domain.md §3): body measurements,
blood pressure, glucose, smoking, TB symptoms, SRQ-20, PUMA, AKS and SKILAS, with the referrals
and home follow-ups their results call for.

SPM asks for everyone 15+ screened yearly; real coverage is lower and men come less, so each
year about half the adults are screened, mostly at their Posyandu.
"""

from __future__ import annotations

import datetime as dt
import random

from backend.demo import chronic, instruments
from backend.demo.common import chance, clamp, workday
from backend.demo.model import Member
from backend.demo.places import HOSPITAL, PUSKESMAS_NAME
from backend.demo.village import Village
from backend.demo.vitals import body

_SETTINGS = (("posyandu", 60), ("pustu", 25), ("puskesmas", 15))
# Remaja median height (cm) at 10..17 years, a little under WHO 2007 as in Riskesdas.
_TEEN_HEIGHT = {"L": (133, 138, 144, 151, 157, 161, 163, 164),
                "P": (133, 139, 145, 149, 151, 152, 153, 153)}


def histories(village: Village) -> None:
    for person in village.members():
        for year in range(2):
            first = village.start + dt.timedelta(days=365 * year)
            if first > village.today:
                break
            age = person.age(first)
            day = workday(village.rng, first, min(village.today, first + dt.timedelta(364)))
            if 10 <= age < 18 and chance(village.rng, 0.35):
                _teen(village, person, day)
            elif age >= 18 and chance(village.rng, _coverage(person, age)):
                _screening(village, person, day)
        chronic.controls(village, person)


def _coverage(person: Member, age: int) -> float:
    return 0.6 if age >= 60 else 0.55 if person.sex == "P" else 0.4


def _where(village: Village, person: Member, day: dt.date) -> tuple[str, dt.date]:
    names, weights = zip(*_SETTINGS, strict=True)
    setting = village.rng.choices(names, weights)[0]
    session_day = village.posyandu_day(person, day) if setting == "posyandu" else None
    if setting == "posyandu" and session_day:
        return setting, session_day
    return ("pustu" if setting == "posyandu" else setting), day


def _screening(village: Village, person: Member, day: dt.date) -> None:
    rng, health = village.rng, person.health
    setting, day = _where(village, person, day)
    age = person.age(day)
    measured = body(rng, person, treated="I10" in health.diagnosed,
                    glucose="GDS" if chance(rng, 0.6) else None)
    risk = health.smoker or age >= 60 or "E11.9" in health.conditions
    screenings = [instruments.smoking(health.smoker),
                  instruments.tb_symptoms(rng, "A15.0" in health.conditions, risk, False)]
    if chance(rng, 0.4):
        screenings.append(instruments.srq20(rng, health.distressed))
    if health.smoker and age >= 40 and chance(rng, 0.6):
        screenings.append(instruments.puma(rng, person.sex, age, health.pack_years))
    if age >= 60 and chance(rng, 0.7):
        screenings += [instruments.aks(rng, age), instruments.skilas(rng, age)]
    services = [{"code": "iva", "detail": "negatif"}] if (
        person.sex == "P" and 30 <= age <= 50 and setting == "puskesmas" and chance(rng, 0.3)
    ) else []
    results = {s["instrument"]: s["result"] for s in screenings}
    referral = _referral(person, measured, results)
    village.visit(person, day, setting, "3", clinical=setting != "posyandu",
                  measurements=measured, screenings=screenings, services=services,
                  referral=referral)
    _follow_up(village, person, day, measured, results)


def _referral(person: Member, measured: dict, results: dict) -> dict | None:
    """The first reason to refer, most urgent first (docs/domain.md §4 cut-offs)."""
    diagnosed = person.health.diagnosed
    reasons = (
        (results.get("puma") == "risiko_ppok", HOSPITAL, "PUMA ≥ 6: spirometri"),
        (results.get("tb_gejala") == "terduga_tb", PUSKESMAS_NAME, "Terduga TBC: periksa TCM"),
        ((measured["sbp"] >= 140 or measured["dbp"] >= 90) and "I10" not in diagnosed,
         PUSKESMAS_NAME, "Tekanan darah ≥ 140/90 mmHg"),
        (measured.get("glucose_mgdl", 0) >= 200 and "E11.9" not in diagnosed, PUSKESMAS_NAME,
         "Gula darah sewaktu ≥ 200 mg/dL"),
        (results.get("srq20") == "kemungkinan_masalah", PUSKESMAS_NAME,
         "SRQ-20 ≥ 6: kemungkinan masalah kesehatan jiwa"),
    )
    for hit, to, reason in reasons:
        if hit:
            return {"to": to, "reason": reason, "urgent": measured["sbp"] >= 180}
    return None


def _follow_up(village: Village, person: Member, day: dt.date, measured: dict,
               results: dict) -> None:
    """What the referral leads to: a diagnosis at the Puskesmas for most. The follow-up tasks
    of a finding (SRQ-20, SKILAS, high pressure, ...) are not written here: the server derives
    them from the encounter when it is stored (config/ilp/followup.json)."""
    rng, health = village.rng, person.health
    high = measured["sbp"] >= 140 or measured["dbp"] >= 90
    for code, found in (("I10", high), ("E11.9", measured.get("glucose_mgdl", 0) >= 200)):
        if found and code in health.conditions and code not in health.diagnosed and chance(
                rng, 0.6):
            chronic.diagnose(village, person, day + dt.timedelta(days=rng.randint(3, 20)), code)
    if results.get("tb_gejala") == "terduga_tb" and "A15.0" in health.conditions:
        chronic.diagnose(village, person, day + dt.timedelta(days=rng.randint(5, 14)), "A15.0")


def _teen(village: Village, person: Member, day: dt.date) -> None:
    """Posyandu remaja: height and weight (IMT/U), Hb and weekly TTD for girls, smoking."""
    rng = village.rng
    setting, day = _where(village, person, day)
    age = person.age(day)
    height = _teen_height(rng, person, day)
    if person.health.bmi_z is None:
        person.health.bmi_z = rng.gauss(0, 1)
    bmi = clamp(16 + 0.55 * (age - 10) + 2.5 * person.health.bmi_z + rng.gauss(0, 0.4), 12.5, 35)
    measured = {"weight_kg": round(bmi * (height / 100) ** 2, 1), "height_cm": round(height, 1)}
    services = []
    if person.sex == "P" and age >= 12:
        measured["hb_gdl"] = round(rng.gauss(12.4, 1.2), 1)
        services.append({"code": "ttd", "detail": "TTD remaja putri mingguan", "quantity": 4})
    if age >= 15:
        measured["sbp"] = round(rng.gauss(110, 9))
        measured["dbp"] = round(measured["sbp"] * 0.62)
    smoker = person.health.smoker or (person.sex == "L" and age >= 13 and chance(rng, 0.15))
    village.visit(person, day, setting, "2", measurements=measured, services=services,
                  screenings=[instruments.smoking(smoker)])


def _teen_height(rng: random.Random, person: Member, day: dt.date) -> float:
    """Height on the person's own stature track (the z that also gives the adult height),
    never above that adult height and never below the last measurement."""
    health, table = person.health, _TEEN_HEIGHT[person.sex]
    if health.stature_z is None:
        health.stature_z = rng.gauss(0, 1)
    years = clamp((day - person.birth).days / 365.25 - 10, 0, len(table) - 1)
    low = min(int(years), len(table) - 2)
    median = table[low] + (table[low + 1] - table[low]) * (years - low)
    height = median + (6 if person.sex == "L" else 5.5) * health.stature_z + rng.gauss(0, 0.3)
    if health.height_cm:
        height = min(height, health.height_cm)
    health.last_height = max(height, health.last_height)
    return health.last_height
