"""PWS months: `YYYY-MM` in the Puskesmas's own time zone (backend/clock.py).

A PWS month is a calendar month of the Puskesmas's local dates. The facts it counts
(`pws_events.date`, `growth_points.date`) are local dates already, so a month is a plain date
range; only "which month is it now" needs the clock, and it must be the local month, never the
server's (at 06:30 WIT on 1 March the server in UTC still says February).

The API accepts a month from the current local month back to five years before it
(docs/pws.md): earlier months predate any data a Puskesmas keeps online, later ones have no
data yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from backend import clock

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
HISTORY_YEARS = 5


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"bulan {self.month} tidak ada (1-12)")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0: differences of two indexes count months."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        year, month = divmod(index, 12)
        return cls(year, month + 1)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    @property
    def previous(self) -> Month:
        return self.shift(-1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> Month:
        """January of this month's year: cumulative indicators count from there."""
        return Month(self.year, 1)

    @property
    def semester_start(self) -> Month:
        """January or July: vitamin A rounds (February, August) count per semester
        (Kemenkes Juknis Pemberian Kapsul Vitamin A)."""
        return Month(self.year, 1 if self.month <= 6 else 7)

    @property
    def months_elapsed(self) -> int:
        """Months of the year up to and including this one (1..12): the cumulative target
        line is the annual target × months_elapsed / 12 (Pedoman PWS-KIA)."""
        return self.month

    @property
    def months_into_semester(self) -> int:
        """Months of the semester up to and including this one (1..6)."""
        return self.index - self.semester_start.index + 1


def parse_month(text: object) -> Month:
    """`YYYY-MM` as a Month; ValueError saying what is wrong otherwise (the API turns it into
    a 422). Range checks against today are `check_month`'s."""
    if not isinstance(text, str):
        raise ValueError("bulan harus berupa teks YYYY-MM")
    match = _PATTERN.match(text.strip())
    if match is None:
        raise ValueError(f"bulan {text!r} bukan format YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"bulan {text!r}: nomor bulan harus 01-12")
    return Month(year, month)


def current_month() -> Month:
    """The Puskesmas's current local month (backend/clock.py, TIMEZONE)."""
    return Month.of(clock.today())


def earliest_month(now: Month | None = None) -> Month:
    """The oldest month the API serves: five years before the current local month."""
    return (now or current_month()).shift(-12 * HISTORY_YEARS)


def check_month(month: Month, now: Month | None = None) -> Month:
    """`month` if it lies from five years ago up to the current local month; ValueError
    otherwise (a future month has no data; older ones are out of the online history)."""
    now = now or current_month()
    if month > now:
        raise ValueError(f"bulan {month} belum berjalan (bulan ini {now})")
    if month < earliest_month(now):
        raise ValueError(f"bulan {month} lebih dari {HISTORY_YEARS} tahun yang lalu")
    return month


def months_ending(month: Month, count: int = 12) -> tuple[Month, ...]:
    """The `count` months ending with `month`, oldest first (the trend chart's x axis)."""
    return tuple(month.shift(offset) for offset in range(1 - count, 1))


def period_start(period: str, month: Month) -> Month:
    """The first month an indicator of this pws.json `period` counts for `month`:
    monthly and prevalence count the month alone, cumulative from January, semester from
    January or July."""
    if period in ("monthly", "prevalence"):
        return month
    if period == "cumulative":
        return month.year_start
    if period == "semester":
        return month.semester_start
    raise ValueError(f"period {period!r} unknown")
