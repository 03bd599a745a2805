"""The one review blueprint, /api/v1/review: route modules register on it (backend/api/review/)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("review", __name__, url_prefix="/review",
                description="Tinjauan data: antrean, duplikat, penggabungan, perbaikan")
