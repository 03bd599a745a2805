"""The audit trail (UU 27/2022): who changed what and who opened which person's record."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from backend import audit
from backend.api.audit.schemas import AuditPageSchema, AuditQuerySchema
from backend.api.base import require
from backend.auth.tables import users
from backend.clock import zone
from backend.db import read_transaction

blp = Blueprint("audit", __name__, url_prefix="/audit", description="Audit trail")
READERS = ("admin", "kapus")
FILTERS = ("actor", "action", "target_type", "target_id", "desa", "before_id", "limit")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone())


def _display_names(conn: sa.Connection, ids: set[int]) -> dict[int, str]:
    rows = conn.execute(sa.select(users.c.id, users.c.display_name)
                        .where(users.c.id.in_(sorted(ids))))
    return {row.id: row.display_name for row in rows}


@blp.route("")
class AuditTrail(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Entries newest first, within the reader's area (and those of no desa)."""
        user = require(*READERS)
        since = _day_start(query["date_from"]) if "date_from" in query else None
        until = (_day_start(query["date_to"] + dt.timedelta(days=1))
                 if "date_to" in query else None)
        with read_transaction() as conn:
            found = audit.entries(conn, **{k: query[k] for k in FILTERS if k in query},
                                  since=since, until=until, scopes=user.scopes)
            names = _display_names(conn, {e.actor_id for e in found if e.actor_id})
        items = [asdict(e) | {"actor_name": names.get(e.actor_id),
                              "action_description": audit.ACTIONS[e.action]} for e in found]
        full = len(found) == query["limit"]
        return {"items": items, "next_before_id": found[-1].id if full and found else None}
