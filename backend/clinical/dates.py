"""Calendar arithmetic on ISO dates: ages and ISO 8601 durations (JS twin: dates.js).

Ages are counted the way Buku KIA counts them: a child is "2 months" from the same day of the
month two months after birth (clamped to the month's last day), so windows written as `P2M`
fall on the dates parents expect.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from backend.clinical.errors import ClinicalInputError

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def parse_date(value: object, field: str) -> date:
    """A `date` from an ISO `YYYY-MM-DD` string (or a `date`); anything else names the field."""
    if isinstance(value, date):
        return value
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ClinicalInputError(field, "tanggal harus berformat YYYY-MM-DD")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ClinicalInputError(field, "tanggal tidak ada di kalender") from exc


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the last day of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, days_in_month(year, month + 1)))


@lru_cache(maxsize=512)
def _duration_parts(duration: str) -> tuple[int, int]:
    """(months, days) of an ISO 8601 duration; parsed once, since rules reuse a few dozen."""
    match = _DURATION.match(duration)
    if match is None or duration == "P":
        raise ValueError(f"not an ISO 8601 duration: {duration!r}")
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return years * 12 + months, weeks * 7 + days


def add_duration(start: date, duration: str) -> date:
    """`start` plus an ISO 8601 duration of years, months, weeks and days (`P1Y6M`, `P6W`)."""
    months, days = _duration_parts(duration)
    try:
        moved = add_months(start, months) if months else start
        return moved + timedelta(days=days) if days else moved
    except (OverflowError, ValueError) as exc:
        raise _beyond_calendar() from exc


def period_start(first: date, duration: str, on: date) -> date:
    """The start of the period containing `on` when periods of `duration` follow each other
    from `first` (on >= first): the latest first + k * duration, k >= 0, not after `on`.
    Multiples are taken from `first` itself, so a 29 February start does not drift."""
    months, days = _duration_parts(duration)
    k = max(0, completed_months(first, on) // months) if months else (on - first).days // days
    while k > 0 and _times(first, months, days, k) > on:
        k -= 1
    while _times(first, months, days, k + 1) <= on:
        k += 1
    return _times(first, months, days, k)


def _times(start: date, months: int, days: int, k: int) -> date:
    return add_months(start, months * k) + timedelta(days=days * k)


def completed_months(birth: date, on: date) -> int:
    """Whole months lived: the largest m with add_months(birth, m) <= on."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if add_months(birth, months) > on else months


def age(birth: date, on: date) -> dict:
    """Age in days, completed months and completed years."""
    months = completed_months(birth, on)
    return {"days": (on - birth).days, "months": months, "years": months // 12}


def in_age_range(birth: date, on: date, bounds: list) -> bool:
    """Whether `on` falls in [birth + bounds[0], birth + bounds[1]); a null bound is open."""
    low, high = bounds
    if low is not None and on < add_duration(birth, low):
        return False
    return high is None or on < add_duration(birth, high)


def month_bounds(on: date) -> tuple[date, date]:
    """First and last day of the calendar month containing `on`."""
    return on.replace(day=1), on.replace(day=days_in_month(on.year, on.month))


def shift_days(start: date, days: int) -> date:
    try:
        return start + timedelta(days=days)
    except OverflowError as exc:
        raise _beyond_calendar() from exc


def _beyond_calendar() -> ClinicalInputError:
    """A window that would end past the year 9999 (or before year 1): the input is absurd,
    and the API answers 422 instead of crashing in date arithmetic."""
    return ClinicalInputError("date", "tanggal di luar jangkauan kalender")
