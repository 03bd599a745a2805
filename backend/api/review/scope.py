"""Who reviews records (docs/review.md, "Who reviews"): the Puskesmas's desk roles.

* klaster, kapus, admin: the desa of their area (every desa of the Puskesmas by default);
* pustu, kader, dinkes, fktp: none (the Pustu receives corrections as tasks on its tablet).
"""

from __future__ import annotations

from flask_smorest import abort

from backend.api.base import require
from backend.auth.users import User

REVIEW_ROLES = ("klaster", "kapus", "admin")


def reviewer() -> User:
    """The logged-in reviewer; 401 without login, 403 for roles that do not review."""
    return require(*REVIEW_ROLES, records=True)


def one_desa(user: User, desa: str) -> str:
    """`desa` if the reviewer covers it; 404 otherwise (outside and unknown look the same)."""
    if desa not in user.scopes:
        abort(404, message=f"Desa {desa!r} tidak dikenal atau di luar wilayah Anda.")
    return desa
