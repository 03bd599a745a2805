"""The Puskesmas's own clock: "today" and "now" in its time zone (`TIMEZONE`), never the server's.

Indonesia spans three zones (WIB UTC+7, WITA UTC+8, WIT UTC+9). A server kept in UTC still
says "yesterday" at 06:30 WIB, so every date the server decides (a due list's default day,
an overdue task, the device window, a visit date that may not lie in the future) comes from
here. Outside an app context (pure functions under test, scripts) the default zone applies.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Jakarta"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The configured time zone of this Puskesmas."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return _zone(name or DEFAULT_TIMEZONE)


def now() -> dt.datetime:
    """The current local time of the Puskesmas, time-zone aware."""
    return dt.datetime.now(zone())


def today() -> dt.date:
    """The Puskesmas's calendar date now."""
    return now().date()


def utc_now() -> dt.datetime:
    """The current time in UTC, for stored timestamps (documents carry `Z` times)."""
    return dt.datetime.now(dt.UTC)
