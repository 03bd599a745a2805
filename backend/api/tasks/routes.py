"""Follow-up tasks sent to the Pustu: list by status and due date; create and update.

Tasks the server derives from a visit's findings (docs/followup.md) carry `origin` (the
visit), `rule`, `urgent` and, for a referral, `cluster`. Closing a task as done over REST
needs `outcome_code` (did the person come?): the outcome is what closes the loop.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from backend import clock
from backend.api.base import Write, filtered, in_scope, scoped
from backend.api.documents import Search, document_routes
from backend.api.tasks.schemas import TaskQuerySchema, TaskRowSchema
from backend.projections.tables import persons, tasks

blp = Blueprint("tasks", __name__, url_prefix="/tasks", description="Follow-up tasks")
OPEN = ("open", "in_progress")


def search_statement(query: dict, user) -> sa.Select:
    """Urgent first among the same due date, soonest due first; `overdue` keeps open tasks
    past their due date."""
    stmt = scoped(sa.select(tasks, persons.c.name.label("person_name"))
                  .join(persons, sa.and_(persons.c.id == tasks.c.person_id,
                                         in_scope(persons.c.desa, user)), isouter=True),
                  tasks.c.desa, user, query.get("desa"))
    stmt = filtered(stmt, query, {"status": tasks.c.status, "person": tasks.c.person_id,
                                  "rule": tasks.c.rule, "origin": tasks.c.origin_id,
                                  "urgent": tasks.c.urgent})
    if query.get("overdue"):
        stmt = stmt.where(tasks.c.status.in_(OPEN), tasks.c.due_date < clock.today())
    return stmt.order_by(tasks.c.due_date, tasks.c.urgent.is_(True).desc(), tasks.c.id)


def closing_needs_an_outcome(_conn: sa.Connection, doc: dict) -> dict[str, list[str]]:
    """A midwife closing a follow-up says whether the person came (or was referred on, moved,
    died); the text alone does not count the loop as closed."""
    if doc.get("status") == "done" and not doc.get("outcome_code"):
        return {"outcome_code": ["required when status is done"]}
    return {}


document_routes(blp, "task", Search(TaskQuerySchema, TaskRowSchema, search_statement),
                writers=("pustu", "klaster", "kapus", "admin"),
                write=Write(check=closing_needs_an_outcome))
