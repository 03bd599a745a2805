"""What one replicating caller may read: which scopes, and how far back encounters go.

Devices (PouchDB in the PWA, logged in with the session cookie) get the documents of their
desa plus the reference documents (scope '*'), and encounters only within the device window.
Service accounts — an `admin` authenticating with HTTP Basic, which is how an upstream CouchDB
or a federation job talks to us — get everything, unwindowed: they are servers, not tablets.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from backend import clock
from backend.auth.users import User
from backend.sync.prepare import REFERENCE_SCOPE

SERVICE_ROLE = "admin"


@dataclass(frozen=True)
class Access:
    user: User
    scopes: tuple[str, ...] | None      # None: every scope (service account)
    encounter_cutoff: dt.date | None    # encounters dated before it are not sent

    @property
    def service(self) -> bool:
        return self.scopes is None

    def sees(self, scope: str | None) -> bool:
        return self.scopes is None or scope in self.scopes


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 March - 1 = 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last_day))


def for_user(user: User, auth_method: str | None, window_months: int,
             today: dt.date | None = None) -> Access | None:
    """The caller's read access, or None when their role never sees records (dinkes)."""
    if not user.role_info.reads_records:
        return None
    if auth_method == "basic" and user.role == SERVICE_ROLE:
        return Access(user, None, None)
    cutoff = months_before(today or clock.today(), window_months) if window_months else None
    return Access(user, (*sorted(user.scopes), REFERENCE_SCOPE), cutoff)
