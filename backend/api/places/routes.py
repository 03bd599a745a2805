"""Places are reference data: every logged-in user may read them all; the admin creates and
edits desa, Pustu and Posyandu through the document store, so tablets receive them by
replication like any other document."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.base import Write, create_document, fetch_doc, require, update_document
from backend.api.places.rules import place_errors, with_defaults
from backend.api.places.schemas import (
    PlaceEditSchema,
    PlaceNewSchema,
    PlaceQuerySchema,
    PlaceSchema,
)
from backend.db import read_transaction
from backend.projections.tables import places

blp = Blueprint("places", __name__, url_prefix="/places", description="Puskesmas network")


def _network(conn: sa.Connection) -> list[dict]:
    rows = conn.execute(sa.select(places.c.id, places.c.kind, places.c.code, places.c.desa))
    return [dict(row._mapping) for row in rows]


def _check(conn: sa.Connection, doc: dict) -> dict[str, list[str]]:
    return place_errors(doc, _network(conn))


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

    @blp.arguments(PlaceNewSchema)
    @blp.response(201)
    def post(self, data):
        """Create a desa, Pustu or Posyandu (admin); answers the document with its `_rev`."""
        user = require("admin")
        given = {name: value for name, value in data.items() if value is not None}
        with read_transaction() as conn:
            fields = with_defaults(given, _network(conn))
        return create_document("place", fields, user, Write("place.create", _check))


@blp.route("/<doc_id>")
class Place(MethodView):
    @blp.response(200)
    def get(self, doc_id):
        """One place as a document, with the `_rev` an edit must name."""
        require()
        return fetch_doc(doc_id, "place")

    @blp.arguments(PlaceEditSchema)
    @blp.response(200)
    def patch(self, changes, doc_id):
        """Rename a place, move it under another parent, set a Posyandu's day (admin)."""
        user = require("admin")
        current = fetch_doc(doc_id, "place")
        rev = changes.pop("_rev")
        return update_document(current, changes, rev, user, Write("place.update", _check))
