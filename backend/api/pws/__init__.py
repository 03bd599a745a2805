"""PWS under /api/v1/pws: one flask-smorest blueprint; each part adds its routes to it.

The route modules are imported at the bottom, after `blp` exists (they decorate it).
"""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("pws", __name__, url_prefix="/pws",
                description="PWS: Pemantauan Wilayah Setempat (issue 12, docs/pws.md)")

from backend.api.pws import fktp  # noqa: E402, F401  (jejaring FKTP)
