"""Encounters: one visit each, written once (corrections are new encounters)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from backend.api.base import filtered, in_scope, scoped
from backend.api.documents import Search, document_routes
from backend.api.encounters.schemas import EncounterQuerySchema, EncounterRowSchema
from backend.projections.tables import encounters, persons

blp = Blueprint("encounters", __name__, url_prefix="/encounters", description="Visits")


def search_statement(query: dict, user) -> sa.Select:
    """Newest first, for the review of synced records at the Puskesmas."""
    stmt = scoped(sa.select(encounters, persons.c.name.label("person_name"))
                  .join(persons, sa.and_(persons.c.id == encounters.c.person_id,
                                         in_scope(persons.c.desa, user)), isouter=True),
                  encounters.c.desa, user, query.get("desa"))
    stmt = filtered(stmt, query, {"person": encounters.c.person_id,
                                  "setting": encounters.c.setting,
                                  "cluster": encounters.c.cluster})
    if "date_from" in query:
        stmt = stmt.where(encounters.c.date >= query["date_from"])
    if "date_to" in query:
        stmt = stmt.where(encounters.c.date <= query["date_to"])
    return stmt.order_by(encounters.c.date.desc(), encounters.c.created_at.desc())


document_routes(blp, "encounter", Search(EncounterQuerySchema, EncounterRowSchema,
                                         search_statement))
