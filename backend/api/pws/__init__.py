# ruff: noqa: I001 (one import line per route module, so siblings add theirs without merges)
"""PWS (Pemantauan Wilayah Setempat) under /api/v1/pws: one blueprint, one module per part.

Every view checks role and area through backend/pws/scope.py; months are validated by
backend/api/pws/fields.py (422 for a future, malformed or too old month).
"""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("pws", __name__, url_prefix="/pws",
                description="PWS: cakupan dan morbiditas per desa dan bulan")

# Route modules register on `blp` when imported (one line per module; siblings add theirs).
from backend.api.pws import board  # noqa: E402,F401
from backend.api.pws import morbidity  # noqa: E402,F401
from backend.api.pws import sasaran  # noqa: E402,F401
