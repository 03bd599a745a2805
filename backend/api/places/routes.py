"""Places are reference data: every logged-in user may read them all."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.base import require
from backend.api.places.schemas import PlaceQuerySchema, PlaceSchema
from backend.db import read_transaction
from backend.projections.tables import places

blp = Blueprint("places", __name__, url_prefix="/places", description="Puskesmas network")


@blp.route("")
class Places(MethodView):
    @blp.arguments(PlaceQuerySchema, location="query")
    @blp.response(200, PlaceSchema(many=True))
    def get(self, query):
        """Places of the Puskesmas, optionally of one kind or desa."""
        require()
        stmt = sa.select(places).order_by(places.c.kind, places.c.name)
        if "kind" in query:
            stmt = stmt.where(places.c.kind == query["kind"])
        if "desa" in query:
            stmt = stmt.where(places.c.desa == query["desa"])
        with read_transaction() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]
