"""Who sees which part of PWS (docs/pws.md, "Who sees what").

* kapus, klaster, admin: every desa of the Puskesmas, with names (drill-down, follow-up).
* pustu: its own desa, with names.
* dinkes: every desa, aggregates only: a drill-down or anything naming a person is refused.
* fktp: none of the dashboard; only the cases it reported and their follow-up
  (backend/pws/fktp.py).
* kader: none.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_smorest import abort

from backend.api.base import require
from backend.auth.users import User

DASHBOARD_ROLES = ("kapus", "klaster", "admin", "pustu", "dinkes")
NAMES_ROLES = ("kapus", "klaster", "admin", "pustu")
SASARAN_ROLES = ("kapus", "admin")


@dataclass(frozen=True)
class PwsScope:
    user: User
    desa: tuple[str, ...]   # the desa codes the caller's PWS covers, sorted
    names: bool             # may see the persons behind a number

    def one(self, desa: str) -> str:
        """`desa` if the caller covers it; 404 otherwise (a desa outside scope and an unknown
        desa look the same)."""
        if desa not in self.desa:
            abort(404, message=f"Desa {desa!r} tidak dikenal atau di luar wilayah Anda.")
        return desa


def dashboard_scope() -> PwsScope:
    """The logged-in caller's PWS scope; 401 without login, 403 for roles without PWS."""
    user = require(*DASHBOARD_ROLES)
    return PwsScope(user, tuple(sorted(user.scopes)), user.role in NAMES_ROLES)


def names_scope() -> PwsScope:
    """As dashboard_scope, for views that name persons: dinkes gets 403 (aggregates only)."""
    user = require(*NAMES_ROLES)
    return PwsScope(user, tuple(sorted(user.scopes)), True)
