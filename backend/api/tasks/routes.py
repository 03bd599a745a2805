"""Follow-up tasks sent to the Pustu: list by status and due date; create and update."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from backend import clock
from backend.api.base import filtered, in_scope, scoped
from backend.api.documents import Search, document_routes
from backend.api.tasks.schemas import TaskQuerySchema, TaskRowSchema
from backend.projections.tables import persons, tasks

blp = Blueprint("tasks", __name__, url_prefix="/tasks", description="Follow-up tasks")
OPEN = ("open", "in_progress")


def search_statement(query: dict, user) -> sa.Select:
    """Soonest due first; `overdue` keeps open tasks past their due date."""
    stmt = scoped(sa.select(tasks, persons.c.name.label("person_name"))
                  .join(persons, sa.and_(persons.c.id == tasks.c.person_id,
                                         in_scope(persons.c.desa, user)), isouter=True),
                  tasks.c.desa, user, query.get("desa"))
    stmt = filtered(stmt, query, {"status": tasks.c.status, "person": tasks.c.person_id})
    if query.get("overdue"):
        stmt = stmt.where(tasks.c.status.in_(OPEN), tasks.c.due_date < clock.today())
    return stmt.order_by(tasks.c.due_date, tasks.c.id)


document_routes(blp, "task", Search(TaskQuerySchema, TaskRowSchema, search_statement),
                writers=("pustu", "klaster", "kapus", "admin"))
