"""Writing and reading audit rows."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context, request

from backend import clock
from backend.audit.tables import audit_log

# What can be recorded; a typo in an action name is a bug, not a new action.
ACTIONS = {
    "record.open": "opened a person's record (details, visits or due list)",
    "document.write": "created or changed a document through the API",
    "review.decide": "gave a review verdict on a record (benar, perbaikan, tidak relevan)",
    "user.create": "created a staff account",
    "user.update": "changed a staff account (role, area, name, status)",
    "user.password": "set a staff account's password",
    "place.create": "created a place (desa, Pustu, Posyandu)",
    "place.update": "changed a place",
    "person.merge": "merged a duplicate person into its survivor (docs/review.md)",
    "person.merge_undo": "undid a merge of duplicate persons",
    "sasaran.import": "imported official targets (sasaran) from a CSV file",
    "duplicate.dismiss": "declared two possible duplicate persons two different people",
    "login.success": "logged in",
    "login.failure": "failed to log in",
    "login.locked": "was refused a login: too many failures",
    "push.subscribe": "subscribed a device of their own to staff notifications",
    "push.unsubscribe": "unsubscribed a device of their own from staff notifications",
    "push.test": "sent a test notification to their own devices",
    "family.subscribe": "a family consented to reminders and subscribed its phone (QR code)",
    "family.stop": "a family stopped its reminders on its own phone (Berhenti)",
    "family.refused": "a family page brought a QR code that is unknown, used, expired or "
                      "withdrawn",
    # Issue 15: the Puskesmas's organisation and duty (backend/flow/organisation.py, duty.py)
    "flow.staff_assign": "placed a staff member in a cluster as PJ or anggota with competencies",
    "flow.staff_unassign": "took a staff member out of the Puskesmas's clusters",
    "flow.point_create": "created a service point (a room or desk of the service flow)",
    "flow.point_update": "changed a service point",
    "flow.duty": "set who is on duty at a service point on a day",
    # Issue 15: the waiting-room screens (backend/flow/display.py)
    "flow.display_create": "created a waiting-room screen (its link shown once)",
    "flow.display_revoke": "removed a waiting-room screen (its link opens nothing any more)",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor_id: int | None
    actor: str | None
    action: str
    target_type: str
    target_id: str
    desa: str | None
    detail: dict | None
    address: str | None
    request_id: str | None


def record(conn: sa.Connection, *, actor, action: str, target_type: str, target_id: str,
           desa: str | None = None, detail: dict | None = None) -> None:
    """Append one row in the caller's transaction. `actor` is a User, or None for the system
    (or an anonymous login attempt, whose name goes in `detail`)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    address = request_id = None
    if has_request_context():
        address, request_id = request.remote_addr, g.get("request_id")
    conn.execute(audit_log.insert().values(
        at=clock.utc_now(), actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "username", None), action=action, target_type=target_type,
        target_id=str(target_id), desa=desa,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        address=address, request_id=request_id))


def record_request(actor, action: str, target_type: str, target_id: str,
                   desa: str | None = None, detail: dict | None = None) -> None:
    """`record` in a transaction of its own, for reads (opening a record writes nothing else)."""
    from backend.db import write_transaction  # noqa: PLC0415  (db imports settings late)

    with write_transaction() as conn:
        record(conn, actor=actor, action=action, target_type=target_type, target_id=target_id,
               desa=desa, detail=detail)


def entries(conn: sa.Connection, *, actor_id: int | None = None, actor: str | None = None,
            action: str | None = None, target_type: str | None = None,
            target_id: str | None = None, desa: str | None = None,
            since: dt.datetime | None = None, until: dt.datetime | None = None,
            limit: int = 50, before_id: int | None = None,
            scopes: frozenset[str] | None = None) -> list[AuditEntry]:
    """Newest first; `before_id` pages backwards through the trail. `scopes` keeps rows of
    those desa and rows of no desa (accounts, places, logins)."""
    stmt = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if scopes is not None:
        stmt = stmt.where(sa.or_(audit_log.c.desa.is_(None), audit_log.c.desa.in_(sorted(scopes))))
    for column, value in ((audit_log.c.actor_id, actor_id), (audit_log.c.actor, actor),
                          (audit_log.c.action, action),
                          (audit_log.c.target_type, target_type),
                          (audit_log.c.target_id, target_id), (audit_log.c.desa, desa)):
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(audit_log.c.at >= since)
    if until is not None:
        stmt = stmt.where(audit_log.c.at < until)
    if before_id is not None:
        stmt = stmt.where(audit_log.c.id < before_id)
    return [_entry(row) for row in conn.execute(stmt)]


def _entry(row: sa.Row) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)  # SQLite: naive UTC
    return AuditEntry(row.id, at, row.actor_id, row.actor, row.action, row.target_type,
                      row.target_id, row.desa, json.loads(row.detail) if row.detail else None,
                      row.address, row.request_id)
