"""Adult body measurements around a person's usual values (docs/domain.md §3 adult group)."""

from __future__ import annotations

import random

from backend.demo.common import clamp
from backend.demo.model import Member


def body(rng: random.Random, person: Member, *, treated: bool = False,
         glucose: str | None = None) -> dict:
    """Weight, height, waist and blood pressure; a glucose reading of `glucose` type (GDS
    random, GDP fasting) when asked. Treatment lowers pressure and fasting glucose."""
    health, male = person.health, person.sex == "L"
    sbp = round(clamp(health.sbp + rng.gauss(-10 if treated else 0, 8), 85, 230))
    waist = (2.3 * health.bmi + 25 if male else 2.4 * health.bmi + 20) + rng.gauss(0, 4)
    out = {"weight_kg": round(health.bmi * (health.height_cm / 100) ** 2 + rng.gauss(0, 1), 1),
           "height_cm": round(health.height_cm, 1), "waist_cm": round(waist, 1), "sbp": sbp,
           "dbp": round(clamp(health.dbp + rng.gauss(-6 if treated else 0, 6), 45, sbp - 20))}
    if glucose:
        usual = health.glucose * (0.75 if glucose == "GDP" else 1.0)
        out.update(glucose_mgdl=round(max(60.0, usual + rng.gauss(0, 18))),
                   glucose_type=glucose)
    return out
