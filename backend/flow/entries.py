"""Queue entries and arrivals as JSON (docs/api.md "Service flow: queues"), and an arrival's
history: the chain of entries a visit left behind, one per queue it stood in.

Reads only: one SELECT joins an entry with its arrival, its person (the persons projection)
and the entry it came from, so a queue of forty people is one query. A person outside the
reader's area appears as `person: null` (the ticket still counts in the queue); acting on such
an entry answers 404 (backend/flow/queue.py).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from backend.auth.users import User
from backend.flow import access
from backend.flow.errors import FlowError
from backend.flow.tables import flow_arrivals, flow_dispensings, flow_lab_orders, flow_queue_entries
from backend.flow.vocabulary import PRIORITIES
from backend.projections.tables import persons

E = flow_queue_entries
A = flow_arrivals
_PREVIOUS = flow_queue_entries.alias("previous")

# Every column an Entry needs, labelled so the entry's own columns keep their names.
_COLUMNS = (
    *E.c,
    A.c.desa.label("arrival_desa"), A.c.priority_groups, A.c.complaint, A.c.cluster,
    A.c.payer, A.c.new_patient,
    persons.c.name.label("person_name"), persons.c.sex.label("person_sex"),
    persons.c.birth_date.label("person_birth_date"), persons.c.nik.label("person_nik"),
    persons.c.desa.label("person_desa"),
    _PREVIOUS.c.service_point_id.label("previous_point"),
    _PREVIOUS.c.ticket.label("previous_ticket"),
)

ENTRY_ROWS = (sa.select(*_COLUMNS)
              .join(A, A.c.id == E.c.arrival_id)
              .join(persons, persons.c.id == E.c.person_id, isouter=True)
              .join(_PREVIOUS, _PREVIOUS.c.id == E.c.previous_id, isouter=True))

# The order a queue calls in: emergency first, then the priority groups, then everyone else;
# first come first served within a rank (a return keeps its first queued_at).
CALL_ORDER = (E.c.priority_rank, E.c.queued_at, E.c.id)


def person_json(row, user: User) -> dict | None:
    if row.person_name is None or not user.sees(row.arrival_desa):
        return None
    person = {"id": row.person_id, "name": row.person_name, "sex": row.person_sex,
              "birth_date": str(row.person_birth_date), "desa": row.person_desa}
    if row.person_nik:
        person["nik"] = row.person_nik
    return person


def entry_json(row, user: User) -> dict:
    """A row of ENTRY_ROWS as the contract's Entry."""
    previous = None if row.previous_id is None else {
        "id": row.previous_id, "service_point": row.previous_point,
        "ticket": row.previous_ticket}
    return {
        "id": row.id, "arrival_id": row.arrival_id, "service_point": row.service_point_id,
        "ticket": row.ticket, "status": row.status,
        "priority": PRIORITIES[row.priority_rank],
        "priority_groups": json.loads(row.priority_groups),
        "queued_at": row.queued_at, "created_at": row.created_at, "called_at": row.called_at,
        "call_count": row.call_count, "started_at": row.started_at, "ended_at": row.ended_at,
        "served_by": row.served_by, "reason": row.reason, "encounter_id": row.encounter_id,
        "previous": previous, "person": person_json(row, user), "complaint": row.complaint,
        "cluster": row.cluster, "payer": row.payer, "new_patient": row.new_patient,
    }


def entry(conn: sa.Connection, entry_id: int, user: User) -> dict:
    return entry_json(conn.execute(ENTRY_ROWS.where(E.c.id == entry_id)).one(), user)


def arrival_json(row, person: dict | None) -> dict:
    return {
        "id": row.id, "day": row.day, "person": person, "complaint": row.complaint,
        "payer": row.payer, "new_patient": row.new_patient, "emergency": row.emergency,
        "disability": row.disability, "symptoms": json.loads(row.symptoms),
        "priority": row.priority, "priority_groups": json.loads(row.priority_groups),
        "proposed_cluster": row.proposed_cluster, "cluster": row.cluster,
        "created_at": row.created_at, "created_by": row.created_by,
    }


def history(conn: sa.Connection, arrival_id: str, user: User) -> list[dict]:
    """Every entry of the arrival in the order the visit went: loket, desk, lab, back..."""
    rows = conn.execute(ENTRY_ROWS.where(E.c.arrival_id == arrival_id).order_by(E.c.id))
    return [entry_json(row, user) for row in rows]


def lab_orders(conn: sa.Connection, arrival_id: str) -> list[dict]:
    rows = conn.execute(sa.select(flow_lab_orders)
                        .where(flow_lab_orders.c.arrival_id == arrival_id)
                        .order_by(flow_lab_orders.c.id)).mappings()
    return [{**row, "tests": json.loads(row["tests"])} for row in rows]


def dispensings(conn: sa.Connection, arrival_id: str) -> list[dict]:
    rows = conn.execute(sa.select(flow_dispensings)
                        .where(flow_dispensings.c.arrival_id == arrival_id)
                        .order_by(flow_dispensings.c.id)).mappings()
    return [{**row, "items": json.loads(row["items"])} for row in rows]


def current_entries(conn: sa.Connection, arrival_ids: list[str]) -> dict[str, sa.Row]:
    """The latest entry of each arrival (a transfer always opens a newer one), as rows of
    ENTRY_ROWS by arrival id."""
    if not arrival_ids:
        return {}
    latest = (sa.select(sa.func.max(E.c.id)).where(E.c.arrival_id.in_(arrival_ids))
              .group_by(E.c.arrival_id))
    return {row.arrival_id: row for row in conn.execute(ENTRY_ROWS.where(E.c.id.in_(latest)))}


def point_json(point: dict) -> dict:
    return {key: point[key] for key in ("id", "label", "kind", "clusters", "ticket_prefix",
                                        "active", "sort_order")}


def queue_view(conn: sa.Connection, point: dict, day: str, user: User) -> dict:
    """One point's queue of the day: waiting in call order, who is called, in service or
    skipped (may be recalled), and how many were done."""
    rows = conn.execute(ENTRY_ROWS.where(
        E.c.service_point_id == point["id"], E.c.day == day,
        E.c.status.in_(("waiting", "called", "in_service", "skipped"))).order_by(*CALL_ORDER))
    view = {"point": point_json(point), "waiting": [], "called": [], "in_service": [],
            "skipped": []}
    for row in rows:
        view[row.status].append(entry_json(row, user))
    view["called"].sort(key=lambda entry: entry["called_at"])
    view["done_count"] = conn.execute(sa.select(sa.func.count()).where(
        E.c.service_point_id == point["id"], E.c.day == day, E.c.status == "done")).scalar()
    return view


def counts(conn: sa.Connection, point_ids: set[str], day: str) -> dict[str, dict]:
    """{point id: {waiting, called, in_service, done}} of the day."""
    found = {pid: dict.fromkeys(("waiting", "called", "in_service", "done"), 0)
             for pid in point_ids}
    rows = conn.execute(sa.select(E.c.service_point_id, E.c.status, sa.func.count())
                        .where(E.c.day == day, E.c.service_point_id.in_(sorted(point_ids)),
                               E.c.status.in_(("waiting", "called", "in_service", "done")))
                        .group_by(E.c.service_point_id, E.c.status))
    for point_id, status, number in rows:
        found[point_id][status] = number
    return found


def detail(conn: sa.Connection, entry_id: int, user: User, day: str) -> dict:
    """An entry with its arrival's history, lab orders and dispensings, for staff who may act
    at one of the points this visit passed through (the desk that sent the person to the lab
    follows them there); a person outside the caller's area is 404 like a missing entry."""
    row = conn.execute(ENTRY_ROWS.where(E.c.id == entry_id)).first()
    if row is None or not user.sees(row.arrival_desa):
        raise FlowError(404, "Antrean tidak ditemukan di Puskesmas ini.", "no_such_entry")
    visited = set(conn.execute(sa.select(E.c.service_point_id)
                               .where(E.c.arrival_id == row.arrival_id)).scalars())
    if not visited & access.points_for(conn, user, day):
        raise FlowError(403, "Anda tidak bertugas di tempat layanan kunjungan ini.",
                        "not_your_point")
    return {**entry_json(row, user), "history": history(conn, row.arrival_id, user),
            "lab_orders": lab_orders(conn, row.arrival_id),
            "dispensings": dispensings(conn, row.arrival_id)}
