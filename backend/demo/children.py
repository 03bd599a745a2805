"""Balita at the Posyandu: monthly weighing and measuring, immunization, vitamin A, deworming,
supplementary feeding and KPSP (docs/domain.md §3, §5, §6).

Each child's whole life is simulated on its Posyandu's monthly days, so immunization before
the records start still happened: those doses are entered from the Buku KIA as history
encounters (their real dates) when the child is registered, as kader do at roll-out.
"""

from __future__ import annotations

import datetime as dt

from backend.demo import growth, immunization, instruments
from backend.demo.common import add_months, age_months, chance
from backend.demo.model import Health, Member
from backend.demo.places import PUSKESMAS_NAME, session_days
from backend.demo.village import Village

KPSP_MONTHS = frozenset({3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54, 60})
VITAMIN_A_MONTHS = (2, 8)                     # config/ilp/vitamin_a.json round_months
# How readily each immunization profile accepts a due dose at a visit.
_ACCEPTS = {"complete": 0.97, "late": 0.4, "dropout": 0.95, "refuse": 0.0}


def histories(village: Village) -> None:
    """Posyandu visits of every child who was under five at some time in the records."""
    for child in village.members():
        if add_months(child.birth, 60) > village.start:
            _posyandu_life(village, child)


def _posyandu_life(village: Village, child: Member) -> None:
    rng, health = village.rng, child.health
    keen = rng.choices((0.92, 0.7, 0.35), weights=(5, 3, 2))[0]   # D/S ~70 % (SKDN)
    stop_month = rng.randint(2, 10) if health.immunization == "dropout" else 99
    last = min(village.today, add_months(child.birth, 60) - dt.timedelta(days=1))
    if child.birth < village.start:
        _birth_dose(village, child)
    wobble = 0.0
    first = child.birth + dt.timedelta(days=28)   # after the neonatal visits
    for day in session_days(child.household.posyandu, first, last):
        months = age_months(child.birth, day)
        willing = months < stop_month and health.immunization != "refuse"
        due = immunization.due(child.birth, day, health.vaccines) if willing else []
        # Families that vaccinate on time come whenever a dose is due.
        eager = due and health.immunization in {"complete", "dropout"}
        if not chance(rng, 0.95 if eager else keen * (1 - 0.3 * months / 60)):
            continue
        given = due if chance(rng, _ACCEPTS[health.immunization]) else []
        records = [_given(child, dose, day) for dose in given]
        # Month-to-month swings around the child's own weight-for-length track.
        wobble = 0.7 * wobble + rng.gauss(0, 0.22)
        if day >= village.start:
            _weighing(village, child, day, records, wobble + _falter(health, day))
        elif records:
            village.visit(child, day, "posyandu", "2", clinical=True, immunizations=records)


def _falter(health: Health, day: dt.date) -> float:
    """The z a faltering child has lost on `day`: 0.8 over three months, regained over six."""
    if health.falter_from is None or day < health.falter_from:
        return 0.0
    days = (day - health.falter_from).days
    if days <= 90:
        return -0.8 * days / 90
    return -0.8 * max(0.0, 1 - (days - 90) / 180)


def _birth_dose(village: Village, child: Member) -> None:
    """HB0 at birth for children born before the records (copied from the Buku KIA)."""
    accepts = 0.5 if child.health.immunization == "refuse" else 0.92
    if chance(village.rng, accepts):
        dose = immunization.dose("HB0", 1)
        day = child.birth + dt.timedelta(days=village.rng.choice((0, 0, 0, 1, 3)))
        village.visit(child, day, "pustu", "2", immunizations=[_given(child, dose, day)])


def _given(child: Member, dose: immunization.Dose, day: dt.date) -> dict:
    child.health.vaccines[(dose.vaccine, dose.dose)] = day
    return immunization.record(dose, child.birth, day)


def _weighing(village: Village, child: Member, day: dt.date, records: list[dict],
              wobble: float) -> None:
    rng, health = village.rng, child.health
    months = age_months(child.birth, day)
    whz = health.whz + wobble
    measured = growth.measure(rng, child.sex, child.birth, day, health, whz,
                              head=months % 3 == 0)
    services = _services(village, months, day, whz)
    screenings = [instruments.kpsp(rng)] if months in KPSP_MONTHS and chance(rng, 0.6) else []
    severe = whz < -3 or measured.get("muac_cm", 99) < 11.5
    referral = {"to": PUSKESMAS_NAME, "reason": "Gizi buruk: BB/PB < −3 SD atau LiLA < 11,5 cm",
                "urgent": True} if severe else None
    # A child found undernourished gets no task from here: the server derives the follow-up
    # from this encounter (config/ilp/followup.json), as for any device's record.
    village.visit(child, day, "posyandu", "2", clinical=bool(records), measurements=measured,
                  immunizations=records, services=services, screenings=screenings,
                  referral=referral)
    health.last_weighed = day


def _services(village: Village, months: int, day: dt.date, whz: float) -> list[dict]:
    rng, out = village.rng, []
    if day.month in VITAMIN_A_MONTHS and 6 <= months < 60 and chance(rng, 0.92):
        capsule = "kapsul biru 100.000 IU" if months < 12 else "kapsul merah 200.000 IU"
        out.append({"code": "vitamin_a", "detail": capsule, "quantity": 1})
    if day.month in VITAMIN_A_MONTHS and months >= 12 and chance(rng, 0.8):
        out.append({"code": "obat_cacing", "detail": "albendazol", "quantity": 1})
    if whz < -2:
        out.append({"code": "pmt", "detail": "PMT lokal 14 hari"})
    return out

