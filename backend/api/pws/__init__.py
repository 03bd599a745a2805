# ruff: noqa: I001 (one import line per route module, so siblings add theirs without merges)
"""PWS (Pemantauan Wilayah Setempat) under /api/v1/pws: one blueprint, one module per part.

Every view checks role and area through backend/api/pws/scope.py; months are validated by
backend/api/pws/fields.py (422 for a future, malformed or too old month).
"""

from __future__ import annotations

from backend.api.pws.blueprint import blp  # noqa: F401  (registered by backend/api)

# Route modules register on `blp` when imported (one line per module; siblings add theirs).
from backend.api.pws import board  # noqa: F401
from backend.api.pws import morbidity  # noqa: F401
from backend.api.pws import gaps  # noqa: F401
from backend.api.pws import fktp  # noqa: F401
from backend.api.pws import sasaran  # noqa: F401
from backend.api.pws import exports  # noqa: F401
