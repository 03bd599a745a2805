"""Registration at the loket (docs/flow.md "Registration (loket) and queues"): a person's
arrival of the day, the route the clinical rule proposes, and their first ticket.

The routing rule lives once, in the clinical evaluators (`backend.clinical.route`,
config/ilp/routing.json): it reads the person's whole history (backend/records.py), as the
due list does. It runs before the write transaction, which then only checks, inserts and hands
out the ticket: a registration holds the write lock for a few statements, never for the
evaluator.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa

from backend import clock
from backend.auth.users import User
from backend.clinical import ClinicalInputError, route
from backend.flow import access, queue
from backend.flow.entries import A, E, arrival_json, current_entries, entry_json, person_json
from backend.flow.errors import FlowError
from backend.flow.tables import flow_service_points
from backend.flow.vocabulary import PRIORITY_RANK
from backend.projections.tables import persons
from backend.records import person_history
from backend.search import name_key
from backend.sync import reads

# Where the loket sends a person (seed 000 "Alur Pelayanan"): a cluster's room, or the
# emergency room for Lintas Klaster.
DESTINATIONS = ("2", "3", "4", "lintas")
MAX_LISTED = 500


def person_doc(conn: sa.Connection, person_id: str, user: User) -> dict:
    """The person's document (the evaluator's input); 404 when missing or outside the caller's
    area, alike."""
    doc = None
    if person_id.startswith("person:"):
        try:
            doc = reads.get_doc(conn, person_id, None, reads.ReadOptions())
        except reads.DocError:
            doc = None
    if doc is None or not user.sees(doc.get("desa")):
        raise FlowError(404, "Orang ini tidak ditemukan di wilayah Anda.", "no_such_person")
    return doc


def propose(conn: sa.Connection, config: dict, person: dict, day: str, flags: dict) -> dict:
    """The routing rule's proposal for this arrival: cluster, reasons, priority, groups."""
    try:
        return route(config, person=person, history=person_history(conn, person["_id"]),
                     date=day, arrival=flags)
    except ClinicalInputError as exc:
        raise FlowError(422, f"Data kedatangan tidak valid ({exc.field}): {exc.message}.",
                        "invalid_input") from None


def registration_point(conn: sa.Connection, user: User, day: str) -> None:
    """403 unless the caller may act at a registration point (the loket) today."""
    mine = access.points_for(conn, user, day)
    loket = set(conn.execute(sa.select(flow_service_points.c.id).where(
        flow_service_points.c.kind == "registration")).scalars())
    if not mine & loket:
        raise FlowError(403, "Hanya petugas loket pendaftaran yang dapat mendaftarkan atau "
                             "melihat kunjungan hari ini.", "not_your_point")


def destination(conn: sa.Connection, cluster: str, point_id: str | None) -> dict:
    """The point a new arrival queues at: the one the clerk chose, else the first active room
    (sort_order) serving the cluster, the emergency room for Lintas Klaster."""
    if point_id is not None:
        chosen = access.point(conn, point_id)
        if chosen is None or not chosen["active"]:
            raise FlowError(404, "Tempat layanan tidak ditemukan di Puskesmas ini.",
                            "no_such_point")
        if chosen["kind"] == "registration":
            raise FlowError(422, "Loket pendaftaran bukan tujuan layanan.", "invalid_input")
        return chosen
    kind = "emergency" if cluster == "lintas" else "cluster"
    rows = conn.execute(sa.select(flow_service_points.c.id, flow_service_points.c.clusters)
                        .where(flow_service_points.c.kind == kind,
                               flow_service_points.c.active.is_(True))
                        .order_by(flow_service_points.c.sort_order, flow_service_points.c.id))
    for row in rows:
        if cluster in json.loads(row.clusters):
            return access.point(conn, row.id)
    name = "Lintas Klaster (gawat darurat)" if cluster == "lintas" else f"Klaster {cluster}"
    raise FlowError(409, f"Belum ada ruang layanan aktif untuk {name}.", "no_point")


def _refuse_second_arrival(conn: sa.Connection, person_id: str, day: str) -> None:
    """One person, one open visit a day: still queued, or a no-show who may be recalled."""
    if conn.dialect.name == "postgresql":  # two clerks registering one person: take turns
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(person_id))))
    row = conn.execute(sa.select(E.c.ticket, flow_service_points.c.label)
                       .join(flow_service_points,
                             flow_service_points.c.id == E.c.service_point_id)
                       .where(E.c.person_id == person_id, E.c.day == day,
                              E.c.status.in_(queue.OPEN_STATUSES))).first()
    if row is not None:
        raise FlowError(409, f"Orang ini sudah terdaftar hari ini: tiket {row.ticket} di "
                             f"{row.label}.", "already_queued")


def register(conn: sa.Connection, user: User, person: dict, body: dict, proposal: dict,
             day: str) -> tuple[str, int]:
    """Record the arrival and queue the person at their destination (the caller has checked
    `registration_point` and found `person` in the user's area). Returns (arrival id, entry
    id)."""
    _refuse_second_arrival(conn, person["_id"], day)
    cluster = body.get("cluster") or proposal["cluster"]
    point = destination(conn, cluster, body.get("service_point"))
    arrival_id = str(uuid.uuid4())
    conn.execute(sa.insert(A).values(
        id=arrival_id, day=day, person_id=person["_id"], desa=person["desa"],
        complaint=body.get("complaint"), payer=body["payer"],
        new_patient=body["new_patient"], emergency=body.get("emergency", False),
        disability=body.get("disability", False),
        symptoms=json.dumps(body.get("symptoms", [])), priority=proposal["priority"],
        priority_groups=json.dumps(proposal["priority_groups"]),
        proposed_cluster=proposal["cluster"], cluster=cluster, created_at=clock.utc_stamp(),
        created_by=user.username))
    entry_id = queue.enqueue(conn, arrival_id=arrival_id, person_id=person["_id"],
                             point=point, day=day,
                             priority_rank=PRIORITY_RANK[proposal["priority"]], user=user)
    return arrival_id, entry_id


def arrival(conn: sa.Connection, arrival_id: str, user: User) -> dict:
    row = conn.execute(sa.select(A).where(A.c.id == arrival_id)).one()
    current = current_entries(conn, [arrival_id])[arrival_id]
    return arrival_json(row, person_json(current, user))


def day_list(conn: sa.Connection, user: User, day: str, q: str | None) -> list[dict]:
    """The day's arrivals in the caller's area, newest first, each with its current entry;
    `q` searches the name (or is a NIK)."""
    stmt = (sa.select(A).join(persons, persons.c.id == A.c.person_id)
            .where(A.c.day == day, A.c.desa.in_(sorted(user.scopes))))
    if q:
        stmt = stmt.where(sa.or_(persons.c.name_key.contains(name_key(q), autoescape=True),
                                 persons.c.nik == q.strip()))
    rows = conn.execute(stmt.order_by(A.c.created_at.desc(), A.c.id).limit(MAX_LISTED)).all()
    current = current_entries(conn, [row.id for row in rows])
    return [{"arrival": arrival_json(row, person_json(current[row.id], user)),
             "entry": entry_json(current[row.id], user)} for row in rows]
