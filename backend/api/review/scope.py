"""Who reviews records (docs/review.md, "Who reviews"): the Puskesmas's desk roles.

* klaster, kapus, admin: the desa of their area (every desa of the Puskesmas by default);
* pustu, kader, dinkes, fktp: none (the Pustu receives corrections as tasks on its tablet).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_smorest import abort

from backend.api.base import require
from backend.auth.users import User
from backend.review.errors import Refused

REVIEW_ROLES = ("klaster", "kapus", "admin")


def reviewer() -> User:
    """The logged-in reviewer; 401 without login, 403 for roles that do not review."""
    return require(*REVIEW_ROLES, records=True)


def one_desa(user: User, desa: str) -> str:
    """`desa` if the reviewer covers it; 404 otherwise (outside and unknown look the same)."""
    if desa not in user.scopes:
        abort(404, message=f"Desa {desa!r} tidak dikenal atau di luar wilayah Anda.")
    return desa


@contextmanager
def answered(records: bool = False) -> Iterator[None]:
    """A review action refused (backend/review/errors.py) becomes its RFC 7807 answer; with
    `records`, its `errors` name the records at fault (a verdict on many). Raised inside a
    transaction, it rolls the transaction back."""
    try:
        yield
    except Refused as exc:
        extra = {"errors": {"json": {"records": exc.ids}}} if records else {}
        abort(exc.status, message=exc.message, **extra)
