"""PWS (Pemantauan Wilayah Setempat) under /api/v1/pws: one flask-smorest blueprint; each part
of PWS adds its routes to it from its own module, imported below."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("pws", __name__, url_prefix="/pws",
                description="PWS: coverage per desa and month, sasaran, follow-up")

import backend.api.pws.exports  # noqa: E402,F401  (registers its routes on blp)
from backend.api.pws import sasaran  # noqa: E402,F401  (registers its routes on blp)
