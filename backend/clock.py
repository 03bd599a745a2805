"""The Puskesmas's own clock: "today" and "now" in its time zone (`TIMEZONE`), never the server's.

Indonesia spans three zones (WIB UTC+7, WITA UTC+8, WIT UTC+9). A server kept in UTC still
says "yesterday" at 06:30 WIB, so every date the server decides (a due list's default day,
an overdue task, the device window, a visit date that may not lie in the future) comes from
here. Outside an app context (pure functions under test, scripts) the default zone applies.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Jakarta"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def check_timezone(name: object) -> None:
    """Fail at start, not at the first due list, when TIMEZONE names no known zone."""
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(
            f"TIMEZONE={name!r} is not an IANA time zone this system knows; use Asia/Jakarta "
            f"(WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT). If those fail too, install "
            f"the tzdata package.") from exc


def _utc_source() -> dt.datetime:
    """Where the clock helpers below read the system clock (tests freeze it here)."""
    return dt.datetime.now(dt.UTC)


def zone() -> ZoneInfo:
    """The configured time zone of this Puskesmas."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return _zone(name or DEFAULT_TIMEZONE)


def now() -> dt.datetime:
    """The current local time of the Puskesmas, time-zone aware."""
    return _utc_source().astimezone(zone())


def today() -> dt.date:
    """The Puskesmas's calendar date now."""
    return now().date()


def utc_now() -> dt.datetime:
    """The current time in UTC, for stored timestamps (documents carry `Z` times)."""
    return _utc_source()


def utc_stamp(moment: dt.datetime | None = None) -> str:
    """`moment` (default now) as a stored timestamp: ISO UTC with milliseconds and `Z`, fixed
    width, so string order is time order (queue order and the display's delay need more than
    seconds)."""
    moment = utc_now() if moment is None else moment.astimezone(dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
