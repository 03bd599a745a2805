"""Households (keluarga): search by head's name or no. KK within the caller's area."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from backend.api.base import filtered, in_scope, scoped
from backend.api.documents import Search, document_routes
from backend.api.households.schemas import HouseholdRowSchema, SearchQuerySchema
from backend.projections.tables import households, persons

blp = Blueprint("households", __name__, url_prefix="/households",
                description="Households (keluarga)")


def search_statement(query: dict, user) -> sa.Select:
    members = (sa.select(sa.func.count())
               .where(persons.c.household_id == households.c.id, in_scope(persons.c.desa, user))
               .scalar_subquery().label("member_count"))
    stmt = scoped(sa.select(households, members), households.c.desa, user, query.get("desa"))
    stmt = filtered(stmt, query, {"no_kk": households.c.no_kk,
                                  "posyandu": households.c.posyandu_id}, households.c.name_key)
    return stmt.order_by(households.c.name_key, households.c.id)


document_routes(blp, "household",
                Search(SearchQuerySchema, HouseholdRowSchema, search_statement))
