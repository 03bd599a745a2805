"""Persons: search by name, NIK, no. KK or JKN number in the caller's area; a person's
encounters."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend.api.base import fetch_scoped, filtered, in_scope, record_opened, require, scoped
from backend.api.documents import Search, document_routes
from backend.api.paging import PageQuerySchema, paginate
from backend.api.persons.schemas import DueQuerySchema, PersonQuerySchema, PersonRowSchema
from backend.clinical import ClinicalInputError, due_list
from backend.clinical_config import ilp_config
from backend.clock import today
from backend.db import read_transaction
from backend.projections.tables import encounters, households, persons
from backend.records import person_history, without_ids
from backend.sync import reads

blp = Blueprint("persons", __name__, url_prefix="/persons", description="Persons")


def search_statement(query: dict, user) -> sa.Select:
    """Living records only: a duplicate merged into another person (docs/review.md) is found
    as its survivor; its own page still opens by id, and says where it went."""
    stmt = scoped(
        sa.select(persons, households.c.no_kk)
        .join(households, sa.and_(households.c.id == persons.c.household_id,
                                  in_scope(households.c.desa, user)), isouter=True)
        .where(persons.c.merged_into_id.is_(None)),
        persons.c.desa, user, query.get("desa"))
    stmt = filtered(stmt, query, {
        "nik": persons.c.nik, "jkn": persons.c.jkn, "no_kk": households.c.no_kk,
        "household": persons.c.household_id,
        "posyandu": persons.c.posyandu_id}, persons.c.name_key)
    return stmt.order_by(persons.c.name_key, persons.c.id)


@blp.route("/<doc_id>/encounters")
class PersonEncounters(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200)
    def get(self, query, doc_id):
        """The person's encounters in the caller's area, newest first, as full documents.

        Visits recorded in a desa the person has left stay with that desa and are not
        listed (they answer 404 one by one as well); the due list still counts them."""
        user = require(records=True)
        record_opened(user, fetch_scoped(doc_id, user, "person"), "encounters")
        stmt = (sa.select(encounters.c.id)
                .where(encounters.c.person_id == doc_id, in_scope(encounters.c.desa, user))
                .order_by(encounters.c.date.desc(), encounters.c.id))
        with read_transaction() as conn:
            page = paginate(conn, stmt, query)
            page["items"] = [reads.get_doc(conn, row["id"], None, reads.ReadOptions())
                             for row in page["items"]]
        return page


@blp.route("/<doc_id>/due")
class PersonDue(MethodView):
    @blp.arguments(DueQuerySchema, location="query")
    @blp.response(200)
    def get(self, query, doc_id):
        """What is due for the person on a date (default today): the clinical due list.

        Computed from the whole history (an immunization given in the desa the person came
        from counts), but only derived items are answered: no body, and no id of a document
        outside the caller's area."""
        user = require(records=True)
        person = fetch_scoped(doc_id, user, "person")
        on = query.get("date") or today()
        with read_transaction() as conn:
            history = person_history(conn, doc_id)
        foreign = {doc["_id"] for doc in history if not user.sees(doc.get("desa"))}
        try:
            due = due_list(ilp_config(), person=person, history=history, date=on.isoformat())
        except ClinicalInputError as exc:
            abort(422, message=f"{exc.field}: {exc.message}",
                  errors={"record": {exc.field: [exc.message]}})
        record_opened(user, person, "due")
        return without_ids(due, foreign)


document_routes(blp, "person", Search(PersonQuerySchema, PersonRowSchema, search_statement),
                audit_view="details")
