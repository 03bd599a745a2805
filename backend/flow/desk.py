"""The cluster desk's encounter (docs/flow.md "Cluster desk"): what the desk records for the
person it called is an `encounter` document written through the one write path, in the same
transaction that ties it to the queue entry (and starts the entry if it was only called).

The lab (`lab.py`) and the pharmacy (`pharmacy.py`) act on entries the same way: the entry
must be active at a service point of the right kind that the caller may act at today.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from backend import audit, clock
from backend.auth.users import User
from backend.clinical import lab_tests
from backend.documents.schemas import describe_errors, validate_document
from backend.flow.access import require_point
from backend.flow.errors import FlowError
from backend.flow.tables import flow_arrivals, flow_queue_entries
from backend.flow.vocabulary import ENDED_STATUSES
from backend.projections.tables import places
from backend.writes import write_docs

# What the desk may put in its encounter; the server sets everything else.
CLINICAL_FIELDS = ("measurements", "screenings", "immunizations", "services", "diagnoses",
                   "referral", "lab_orders", "prescriptions", "notes", "pregnancy")
DESK_KINDS = ("cluster", "emergency")
SERVED = ("called", "in_service")
# A write the store refuses: the caller's role or area is 403; a broken reference (a
# pregnancy of another person's desa, a visit before birth) is the body's fault, 422.
REFUSED_STATUS = {"role": 403, "area": 403}


class Invalid(FlowError):
    """A body the flow cannot record, with its errors by field (as the document schema or
    `lab_result_errors` give them); answered 422 with `errors`."""

    def __init__(self, errors: dict) -> None:
        super().__init__(422, describe_errors(errors), "invalid")
        self.errors = errors


def served_entry(conn: sa.Connection, user: User, entry_id: int, day: str,
                 kinds: tuple[str, ...]) -> tuple[dict, dict]:
    """The queue entry `user` is serving and its service point: 404 if there is no such entry
    (or its person is outside the caller's area), the point's 404/403 (access.require_point),
    409 if the point is not of one of `kinds`, the entry is not called or in service, or not
    today's (the codes of backend/flow/queue.py: `entry_ended`, `bad_transition`,
    `other_day`)."""
    entry = conn.execute(
        sa.select(flow_queue_entries, flow_arrivals.c.desa, flow_arrivals.c.cluster)
        .join(flow_arrivals, flow_arrivals.c.id == flow_queue_entries.c.arrival_id)
        .where(flow_queue_entries.c.id == entry_id)
        .with_for_update(of=flow_queue_entries)).mappings().first()
    if entry is None or not user.sees(entry["desa"]):
        raise FlowError(404, "Antrean tidak ditemukan.", "no_such_entry")
    point = require_point(conn, user, entry["service_point_id"], day)
    if point["kind"] not in kinds:
        raise FlowError(409, "Hal ini tidak dicatat di tempat layanan ini.", "wrong_point")
    if entry["status"] not in SERVED:
        ended = entry["status"] in ENDED_STATUSES
        raise FlowError(409, f"Tiket {entry['ticket']} "
                             f"{'sudah selesai' if ended else 'belum dipanggil'}.",
                        "entry_ended" if ended else "bad_transition")
    if entry["day"] != day:
        raise FlowError(409, f"Tiket {entry['ticket']} dari antrean tanggal {entry['day']}.",
                        "other_day")
    return dict(entry), point


def serve(conn: sa.Connection, entry: dict, user: User, **values) -> None:
    """Mark the entry in service by `user` (from called: started now) with `values`, unless
    it changed since it was read (a transfer at another desk): then 409 and, the caller's
    transaction failing, nothing of the request stays."""
    now = clock.utc_stamp()
    started = {"status": "in_service", "started_at": now, "served_by": user.username} \
        if entry["status"] == "called" else {}
    done = conn.execute(sa.update(flow_queue_entries).where(
        flow_queue_entries.c.id == entry["id"], flow_queue_entries.c.status == entry["status"])
        .values({"status": entry["status"], **started, **values})).rowcount
    if done != 1:
        raise FlowError(409, "Antrean ini berubah di meja lain; muat ulang.", "entry_changed")


def puskesmas_place(conn: sa.Connection) -> str | None:
    """The Puskesmas's place document (the first, should an odd history hold two)."""
    return conn.execute(sa.select(places.c.id).where(places.c.kind == "puskesmas")
                        .order_by(places.c.id).limit(1)).scalar()


def new_encounter(conn: sa.Connection, user: User, *, person: str, desa: str, cluster: str,
                  fields: dict) -> dict:
    """An encounter at the Puskesmas today by `user`, with the clinical `fields`."""
    place = puskesmas_place(conn)
    return {"_id": f"encounter:{uuid.uuid4()}", "type": "encounter", "schema": 1,
            "desa": desa, "person": person, "date": clock.today().isoformat(),
            "setting": "puskesmas", **({"place": place} if place else {}),
            "cluster": cluster, "provider": user.display_name[:120], **fields,
            "created_at": clock.utc_stamp(), "created_by": user.username}


def write_encounter(conn: sa.Connection, doc: dict, user: User) -> str:
    """Validate `doc` and write it through the one write path in the caller's transaction,
    with its audit row; returns its revision. A refusal raises (the transaction rolls back)."""
    errors = validate_document(doc)
    if errors:
        raise Invalid(errors)
    result = write_docs(conn, [doc], user)[0]
    if not result.get("ok"):
        code = result.get("code") or result.get("error") or "refused"
        raise FlowError(REFUSED_STATUS.get(code, 422), result.get("reason", code), code)
    audit.record(conn, actor=user, action="document.write", target_type="encounter",
                 target_id=doc["_id"], desa=doc["desa"],
                 detail={"rev": result["rev"], "fields": sorted(
                     k for k in doc if k in CLINICAL_FIELDS or k == "cluster")})
    return result["rev"]


def encounter_cluster(point: dict, arrival_cluster: str, asked: str | None) -> str:
    """The cluster the encounter is recorded for: the one asked for, which the point must
    serve; else the arrival's when the point serves it; else the point's only cluster."""
    served = point["clusters"]
    if asked is not None:
        if asked not in served:
            raise Invalid({"cluster": [f"tempat layanan ini melayani klaster {', '.join(served)}"]})
        return asked
    if arrival_cluster in served:
        return arrival_cluster
    if len(served) == 1:
        return served[0]
    raise Invalid({"cluster": [f"pilih klaster: {', '.join(served)}"]})


def unknown_tests(config: dict, codes: list) -> dict:
    """{index (a string, as in JSON): [message]} for the codes lab.json does not list."""
    known = {test["code"] for test in lab_tests(config)}
    return {str(index): ["pemeriksaan tidak dikenal"] for index, code in enumerate(codes)
            if code not in known}


def record_encounter(conn: sa.Connection, config: dict, user: User, entry_id: int,
                     body: dict) -> dict:
    """Record the desk's encounter for queue entry `entry_id` (docs/flow.md "Cluster desk"):
    the server sets person, date, setting, place, cluster and provider; the entry gets the
    encounter's id in the same transaction. Returns the written document."""
    day = clock.today().isoformat()
    entry, point = served_entry(conn, user, entry_id, day, DESK_KINDS)
    if entry["encounter_id"]:
        raise FlowError(409, "Kunjungan untuk antrean ini sudah dicatat.", "already_recorded")
    cluster = encounter_cluster(point, entry["cluster"], body.get("cluster"))
    fields = {key: body[key] for key in CLINICAL_FIELDS if body.get(key) not in (None, [], {})}
    wrong = unknown_tests(config, fields.get("lab_orders", []))
    if wrong:
        raise Invalid({"lab_orders": wrong})
    doc = new_encounter(conn, user, person=entry["person_id"], desa=entry["desa"],
                        cluster=cluster, fields=fields)
    rev = write_encounter(conn, doc, user)
    serve(conn, entry, user, encounter_id=doc["_id"])
    return {**doc, "_rev": rev}
