"""Chronic care: diagnosis at the Puskesmas, then monthly control visits for hypertension (I10),
diabetes (E11.9) and severe mental illness (F20.9), and six months of TB treatment (A15.0).

SPM counts a hypertensive or diabetic as served when seen every month (docs/domain.md §2); adherence
varies (regular / irregular / lost to follow-up), which is what the PWS and the Pustu's
follow-up tasks are for.
"""

from __future__ import annotations

import datetime as dt

from backend.demo.common import add_months, chance, workday
from backend.demo.model import Member
from backend.demo.village import Village
from backend.demo.vitals import body

CONTROLLED = ("I10", "E11.9", "F20.9")      # monthly controls, one visit covers them all
TB, TB_MONTHS = "A15.0", 6
# Adherence -> (chance of a control each month, months until lost to follow-up).
_MONTHLY = {"regular": (0.8, None), "irregular": (0.3, None), "lost": (0.8, 2)}
_TEXT = {"I10": "Hipertensi esensial", "E11.9": "Diabetes melitus tipe 2",
         "F20.9": "Skizofrenia", TB: "TB paru terkonfirmasi bakteriologis"}


def diagnose(village: Village, person: Member, day: dt.date, code: str) -> None:
    """A first diagnosis (kasus baru) at the Puskesmas: cluster 4 for TB, 3 otherwise."""
    if day > village.today or code in person.health.diagnosed:
        return
    person.health.diagnosed[code] = day
    cluster = "4" if code == TB else "3"
    measured = _control_measurements(village, person, [code])
    day = workday(village.rng, day, min(village.today, day + dt.timedelta(days=2)))
    doc = village.visit(person, day, "puskesmas", cluster,
                        measurements=measured,
                        diagnoses=[{"icd10": code, "case": "baru", "text": _TEXT[code]}])
    if code == TB:
        village.find(person, day, "Investigasi kontak TBC serumah dan pemberian TPT",
                     doc["_id"], "4", "tb")


def controls(village: Village, person: Member) -> None:
    health = person.health
    if TB in health.conditions and TB not in health.diagnosed:
        # Not found by screening: comes to the Puskesmas coughing at some point.
        first = village.start + dt.timedelta(days=village.rng.randint(0, 700))
        diagnose(village, person, first, TB)
    if TB in health.diagnosed:
        _visits(village, person, [TB], health.diagnosed[TB], TB_MONTHS, 0.9)
    codes = [c for c in CONTROLLED if c in health.diagnosed]
    if codes:
        since = min(health.diagnosed[c] for c in codes)
        monthly, months = _MONTHLY[health.adherence]
        last = _visits(village, person, codes, since, months, monthly)
        _missed_control(village, person, codes, last)


def _visits(village: Village, person: Member, codes: list[str], since: dt.date,
            months: int | None, monthly: float) -> dt.date | None:
    """Monthly controls after `since` (within the records); returns the last visit day."""
    rng, last = village.rng, None
    step = 1
    while months is None or step <= months:
        month = add_months(since, step)
        step += 1
        if month > village.today:
            break
        if month < village.start or not chance(rng, monthly):
            continue
        last = _control(village, person, codes, month)
    return last


def _control(village: Village, person: Member, codes: list[str], near: dt.date) -> dt.date:
    rng = village.rng
    if TB in codes or "F20.9" in codes:
        setting = "puskesmas"
    else:
        setting = rng.choices(("posyandu", "pustu", "puskesmas"), (40, 35, 25))[0]
    day = village.posyandu_day(person, near) if setting == "posyandu" else None
    if day is None:
        setting = "pustu" if setting == "posyandu" else setting
        day = workday(rng, near, min(village.today, near + dt.timedelta(days=6)))
    diagnoses = [] if setting == "posyandu" else [
        {"icd10": code, "case": "lama", "text": _TEXT[code]} for code in codes]
    village.visit(person, day, setting, "4" if TB in codes else "3",
                  clinical=setting != "posyandu", diagnoses=diagnoses,
                  measurements=_control_measurements(village, person, codes))
    return day


def _control_measurements(village: Village, person: Member, codes: list[str]) -> dict:
    measured = body(village.rng, person, treated="I10" in codes,
                    glucose="GDP" if "E11.9" in codes else None)
    if TB in codes:
        measured["temp_c"] = round(village.rng.gauss(37.2, 0.4), 1)
    return measured


def _missed_control(village: Village, person: Member, codes: list[str],
                    last: dt.date | None) -> None:
    """The monthly PWS review lists hypertensives and diabetics not seen for over 45 days."""
    today = village.today
    if "F20.9" in codes or (last and (today - last).days <= 45):
        return
    review = today.replace(day=1)
    names = " dan ".join(_TEXT[c].lower() for c in codes)
    indicator = "hipertensi" if "I10" in codes else "dm"
    village.find(person, review, f"Penderita {names} belum kontrol bulan ini",
                 f"pws:{indicator}", "3", "kontrol")
