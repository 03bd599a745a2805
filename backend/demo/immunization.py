"""Routine infant immunization as the demo gives it: which doses are due at a visit, and
whether a dose was on time ("ideal") or late ("kejar").

The rows mirror config/ilp/immunization.json (docs/domain.md §5): vaccine, dose, ideal window
[from, until), last age for catch-up, minimum gap after the previous dose. JE is left out
(not endemic in West Java) and BIAS school doses are not part of Posyandu visits;
tests/demo checks these rows against the config file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.demo.common import after


@dataclass(frozen=True)
class Dose:
    vaccine: str
    dose: int
    ideal_from: str
    ideal_until: str
    catch_up_until: str
    min_interval: str = "P4W"


SCHEDULE = (
    Dose("HB0", 1, "P0D", "P2D", "P8D"),
    Dose("BCG", 1, "P0D", "P2M", "P12M"),
    Dose("OPV", 1, "P0D", "P2M", "P60M"),
    Dose("DPT-HB-Hib", 1, "P2M", "P3M", "P60M"),
    Dose("OPV", 2, "P2M", "P3M", "P60M"),
    Dose("PCV", 1, "P2M", "P3M", "P24M"),
    Dose("RV", 1, "P2M", "P3M", "P24W"),
    Dose("DPT-HB-Hib", 2, "P3M", "P4M", "P60M"),
    Dose("OPV", 3, "P3M", "P4M", "P60M"),
    Dose("PCV", 2, "P3M", "P4M", "P24M"),
    Dose("RV", 2, "P3M", "P4M", "P24W"),
    Dose("DPT-HB-Hib", 3, "P4M", "P5M", "P60M"),
    Dose("OPV", 4, "P4M", "P5M", "P60M"),
    Dose("IPV", 1, "P4M", "P5M", "P60M"),
    Dose("RV", 3, "P4M", "P5M", "P24W"),
    Dose("MR", 1, "P9M", "P10M", "P60M"),
    Dose("IPV", 2, "P9M", "P10M", "P60M", min_interval="P4M"),
    Dose("PCV", 3, "P12M", "P13M", "P24M", min_interval="P8W"),
    Dose("DPT-HB-Hib", 4, "P18M", "P24M", "P60M", min_interval="P12M"),
    Dose("MR", 2, "P18M", "P24M", "P60M", min_interval="P6M"),
)
# Imunisasi dasar lengkap as PWS counts it: HB0, BCG, OPV 1-4, DPT-HB-Hib 1-3, IPV 1, MR 1.
IDL = frozenset({("HB0", 1), ("BCG", 1), ("OPV", 1), ("OPV", 2), ("OPV", 3), ("OPV", 4),
                 ("DPT-HB-Hib", 1), ("DPT-HB-Hib", 2), ("DPT-HB-Hib", 3), ("IPV", 1),
                 ("MR", 1)})


def timing(dose: Dose, birth: dt.date, day: dt.date) -> str:
    return "ideal" if day < after(birth, dose.ideal_until) else "kejar"


def due(birth: dt.date, day: dt.date, given: dict[tuple[str, int], dt.date]) -> list[Dose]:
    """Doses a health worker would give at a visit on `day`: old enough, not too late,
    previous dose of the same vaccine far enough back."""
    out = []
    for dose in SCHEDULE:
        if (dose.vaccine, dose.dose) in given or dose.vaccine == "HB0":
            continue
        if not after(birth, dose.ideal_from) <= day < after(birth, dose.catch_up_until):
            continue
        previous = given.get((dose.vaccine, dose.dose - 1))
        if dose.dose > 1 and (previous is None or day < after(previous, dose.min_interval)):
            continue
        out.append(dose)
    return out


def overdue(birth: dt.date, today: dt.date,
            given: dict[tuple[str, int], dt.date]) -> list[Dose]:
    """Doses past their ideal window but still allowed: the PWS asks the Pustu to catch up."""
    return [d for d in SCHEDULE
            if (d.vaccine, d.dose) not in given and d.vaccine != "HB0"
            and after(birth, d.ideal_until) < today < after(birth, d.catch_up_until)
            and (d.dose == 1 or (d.vaccine, d.dose - 1) in given)]


def record(dose: Dose, birth: dt.date, day: dt.date) -> dict:
    """One dose as the tablet records it; the batch is the month's vial lot."""
    batch = f"{dose.vaccine.replace('-', '')[:3].upper()}{day:%y%m}A"
    return {"vaccine": dose.vaccine, "dose": dose.dose, "date": day.isoformat(),
            "batch": batch, "timing": timing(dose, birth, day)}


def complete_by_one(birth: dt.date, given: dict[tuple[str, int], dt.date]) -> bool:
    """IDL: every basic dose given before the first birthday."""
    first_birthday = after(birth, "P12M")
    return all(given.get(key, first_birthday) < first_birthday for key in IDL)


def dose(vaccine: str, number: int) -> Dose:
    return next(d for d in SCHEDULE if (d.vaccine, d.dose) == (vaccine, number))
