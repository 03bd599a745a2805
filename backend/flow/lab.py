"""Lab orders and results (docs/flow.md "Lab and pharmacy").

The desk orders tests of config/ilp/lab.json for the entry it serves (a `flow_lab_orders`
row, Puskesmas-local). The lab records the results as one `encounter` document (setting
puskesmas, cluster lintas, provider the analyst), written through the one write path in the
transaction that marks the order resulted: Hb, glucose, cholesterol and HbA1c go into the
encounter's `measurements`, where the classifiers and the follow-up derivation read them
(Hb 9.5 g/dL in a pregnant woman -> the anaemia task); every other test into `lab_results`.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from backend import clock
from backend.auth.users import User
from backend.clinical import lab_encounter_parts, lab_result_errors
from backend.flow.access import points_for
from backend.flow.desk import (
    DESK_KINDS,
    SERVED,
    Invalid,
    new_encounter,
    serve,
    served_entry,
    unknown_tests,
    write_encounter,
)
from backend.flow.errors import FlowError
from backend.flow.tables import (
    flow_arrivals,
    flow_lab_orders,
    flow_queue_entries,
    flow_service_points,
)
from backend.projections.tables import persons

GLUCOSE = "glucose_mgdl"   # the one measurement that needs its type (GDS, GDP, GD2PP)


def require_kind(conn: sa.Connection, user: User, day: str, kind: str) -> None:
    """403 unless `user` may act at an active service point of `kind` today."""
    mine = points_for(conn, user, day)
    found = conn.execute(sa.select(flow_service_points.c.id).where(
        flow_service_points.c.kind == kind, flow_service_points.c.id.in_(sorted(mine)))).first()
    if found is None:
        raise FlowError(403, "Anda tidak bertugas di tempat layanan ini hari ini.",
                        "not_your_point")


def order_tests(conn: sa.Connection, config: dict, user: User, entry_id: int, tests: list[str],
                note: str | None = None) -> dict:
    """Order `tests` for the entry the desk serves; one open order per entry."""
    day = clock.today().isoformat()
    entry, _ = served_entry(conn, user, entry_id, day, DESK_KINDS)
    tests = list(dict.fromkeys(tests))
    wrong = unknown_tests(config, tests)
    if not tests or wrong:
        raise Invalid({"tests": wrong or ["pilih minimal satu pemeriksaan"]})
    open_order = conn.execute(sa.select(flow_lab_orders.c.id).where(
        flow_lab_orders.c.entry_id == entry_id,
        flow_lab_orders.c.result_encounter_id.is_(None))).first()
    if open_order is not None:
        raise FlowError(409, "Pemeriksaan untuk antrean ini sudah dipesan.", "already_ordered")
    order_id = conn.execute(sa.insert(flow_lab_orders).values(
        arrival_id=entry["arrival_id"], entry_id=entry_id, person_id=entry["person_id"],
        tests=json.dumps(tests), note=note, ordered_at=clock.utc_stamp(), ordered_by=user.username)
    ).inserted_primary_key[0]
    serve(conn, entry, user)
    return _orders(conn, user, flow_lab_orders.c.id == order_id)[0]


def lab_orders(conn: sa.Connection, user: User, day: str, open_only: bool = True) -> list[dict]:
    """The day's orders for the lab, oldest first, with the person and the ordering entry."""
    require_kind(conn, user, day, "lab")
    where = [flow_arrivals.c.day == day]
    if open_only:
        where.append(flow_lab_orders.c.result_encounter_id.is_(None))
    return _orders(conn, user, *where)


def _orders(conn: sa.Connection, user: User, *where) -> list[dict]:
    rows = conn.execute(
        sa.select(flow_lab_orders, flow_queue_entries.c.ticket,
                  flow_queue_entries.c.service_point_id, flow_arrivals.c.desa.label("a_desa"),
                  persons.c.name, persons.c.sex, persons.c.birth_date)
        .join(flow_arrivals, flow_arrivals.c.id == flow_lab_orders.c.arrival_id)
        .join(flow_queue_entries, flow_queue_entries.c.id == flow_lab_orders.c.entry_id)
        .join(persons, sa.and_(persons.c.id == flow_lab_orders.c.person_id,
                               persons.c.desa.in_(sorted(user.scopes))), isouter=True)
        .where(flow_arrivals.c.desa.in_(sorted(user.scopes)), *where)
        .order_by(flow_lab_orders.c.ordered_at, flow_lab_orders.c.id)).mappings()
    return [_order_json(row) for row in rows]


def _order_json(row) -> dict:
    birth = row["birth_date"]
    return {"id": row["id"], "arrival_id": row["arrival_id"], "entry_id": row["entry_id"],
            "ticket": row["ticket"], "service_point": row["service_point_id"],
            "person": {"id": row["person_id"], "name": row["name"], "sex": row["sex"],
                       "birth_date": birth.isoformat() if birth else None,
                       "desa": row["a_desa"]},
            "tests": json.loads(row["tests"]), "note": row["note"],
            "ordered_at": row["ordered_at"], "ordered_by": row["ordered_by"],
            "result_encounter_id": row["result_encounter_id"],
            "resulted_at": row["resulted_at"], "resulted_by": row["resulted_by"]}


def result_fields(config: dict, ordered: list[str], results: list[dict],
                  glucose_type: str | None = None) -> dict:
    """The lab encounter's `measurements` and `lab_results` from the lab's results
    (`lab_encounter_parts`), or Invalid: a result outside the test's limits or of the wrong
    kind, an unknown test, one given twice (`lab_result_errors`), a test not ordered, a
    glucose type other than the test's."""
    errors = lab_result_errors(config, results)
    for index, result in enumerate(results):
        if result.get("test") not in ordered:
            found = errors.setdefault(str(index), {})
            found.setdefault("test", []).append("pemeriksaan ini tidak dipesan")
    if errors:
        raise Invalid({"results": errors})
    parts = lab_encounter_parts(config, results)
    measurements = parts["measurements"]
    if GLUCOSE in measurements:
        # lab.json names the type with the test (GDS, GDP, GD2PP); a body that says
        # otherwise is a mistake, not a choice.
        if glucose_type and measurements.get("glucose_type", glucose_type) != glucose_type:
            raise Invalid({"glucose_type": [
                f"pemeriksaan ini {measurements['glucose_type']}"]})
        if not measurements.setdefault("glucose_type", glucose_type):
            raise Invalid({"glucose_type": ["wajib diisi untuk hasil gula darah"]})
    return {key: value for key, value in parts.items() if value}


def record_results(conn: sa.Connection, config: dict, user: User, order_id: int,
                   results: list[dict], glucose_type: str | None = None) -> dict:
    """Record the lab's results of order `order_id` as one encounter; returns it."""
    day = clock.today().isoformat()
    order = conn.execute(
        sa.select(flow_lab_orders, flow_arrivals.c.desa)
        .join(flow_arrivals, flow_arrivals.c.id == flow_lab_orders.c.arrival_id)
        .where(flow_lab_orders.c.id == order_id)).mappings().first()
    if order is None or not user.sees(order["desa"]):
        raise FlowError(404, "Pesanan pemeriksaan tidak ditemukan.", "no_such_order")
    require_kind(conn, user, day, "lab")
    if order["result_encounter_id"]:
        raise FlowError(409, "Hasil pemeriksaan ini sudah dicatat.", "already_resulted")
    fields = result_fields(config, json.loads(order["tests"]), results, glucose_type)
    doc = new_encounter(conn, user, person=order["person_id"], desa=order["desa"],
                        cluster="lintas", fields=fields)
    rev = write_encounter(conn, doc, user)
    _mark_resulted(conn, order_id, doc["_id"], user)
    _link_lab_entry(conn, user, order["arrival_id"], doc["_id"])
    return {**doc, "_rev": rev}


def _mark_resulted(conn: sa.Connection, order_id: int, encounter_id: str, user: User) -> None:
    done = conn.execute(sa.update(flow_lab_orders).where(
        flow_lab_orders.c.id == order_id, flow_lab_orders.c.result_encounter_id.is_(None))
        .values(result_encounter_id=encounter_id, resulted_at=clock.utc_stamp(),
                resulted_by=user.username)).rowcount
    if done != 1:
        raise FlowError(409, "Hasil pemeriksaan ini sudah dicatat.", "already_resulted")


def _link_lab_entry(conn: sa.Connection, user: User, arrival_id: str, encounter_id: str) -> None:
    """The lab's own queue entry of the arrival, when the person is being served there, points
    at the results (the visit's history shows where each record was written)."""
    entry = conn.execute(
        sa.select(flow_queue_entries)
        .join(flow_service_points,
              flow_service_points.c.id == flow_queue_entries.c.service_point_id)
        .where(flow_queue_entries.c.arrival_id == arrival_id,
               flow_service_points.c.kind == "lab",
               flow_queue_entries.c.status.in_(SERVED),
               flow_queue_entries.c.encounter_id.is_(None))).mappings().first()
    if entry is not None:
        serve(conn, dict(entry), user, encounter_id=encounter_id)
