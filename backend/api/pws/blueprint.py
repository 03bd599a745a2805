"""The one PWS blueprint, /api/v1/pws: route modules register on it (backend/api/pws/)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("pws", __name__, url_prefix="/pws",
                description="PWS: cakupan dan morbiditas per desa dan bulan")
