"""Small helpers every demo module shares: ids drawn from the RNG, calendar arithmetic, stamps."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

WIB = dt.timezone(dt.timedelta(hours=7))  # the demo Puskesmas is in West Java
_DURATION = re.compile(r"^P(\d+)([DWMY])$")


def new_id(rng: random.Random, doc_type: str) -> str:
    """`<type>:<uuid4>` from the generator's RNG, so a seed always yields the same ids."""
    return f"{doc_type}:{uuid.UUID(int=rng.getrandbits(128), version=4)}"


def stamp(rng: random.Random, day: dt.date, first_hour: int = 7, last_hour: int = 13) -> str:
    """An office-hours ISO timestamp on `day` in WIB (+07:00)."""
    minute = rng.randrange(first_hour * 60, last_hour * 60)
    moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), WIB)
    return moment.isoformat()


def head(rng: random.Random, doc_type: str, desa: str | None, day: dt.date, by: str,
         doc_id: str | None = None) -> dict:
    """The fields every document carries (docs/invariants.md §3); a fresh id unless given."""
    return {"_id": doc_id or new_id(rng, doc_type), "type": doc_type, "schema": 1,
            "desa": desa, "created_at": stamp(rng, day), "created_by": by}


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamping the 31st to the month's last day (as ISO 8601 `PnM` reads)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def after(birth: dt.date, duration: str) -> dt.date:
    """`birth` plus an ISO 8601 duration as config/ilp writes ages (P8D, P6W, P2M, P15Y)."""
    number, unit = _DURATION.match(duration).groups()
    count = int(number)
    if unit == "D":
        return birth + dt.timedelta(days=count)
    if unit == "W":
        return birth + dt.timedelta(weeks=count)
    return add_months(birth, count * (12 if unit == "Y" else 1))


def age_months(birth: dt.date, day: dt.date) -> int:
    """Completed months of age on `day`."""
    months = (day.year - birth.year) * 12 + day.month - birth.month
    return months - (day.day < birth.day)


def workday(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A random day in [first, last], moved off Sunday when the range allows (Puskesmas are
    open Monday to Saturday)."""
    span = max(0, (last - first).days)
    day = first + dt.timedelta(days=rng.randint(0, span))
    if day.weekday() == 6:
        day += dt.timedelta(days=-1 if day > first else 1)
    return min(day, last)


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
