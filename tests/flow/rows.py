"""Arrivals and queue entries inserted straight into the flow's tables, so the desk, lab and
pharmacy tests can put a person in a queue without the loket's API (backend/flow/queue.py is
tested on its own)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlalchemy as sa

from backend import clock
from backend.audit.tables import audit_log
from backend.db import read_transaction, write_transaction
from backend.flow.tables import (
    flow_arrivals,
    flow_dispensings,
    flow_lab_orders,
    flow_queue_entries,
)
from backend.projections.tables import encounters, tasks
from backend.sync.tables import documents
from backend.writes import write_docs
from tests import factories

STAMP = "2026-11-30T01:00:00Z"
HB = "hb"   # config/ilp/lab.json: haemoglobin, a measurement-kind test


def person(**fields) -> dict:
    """A person written through the write path (as the system)."""
    doc = factories.person(**fields)
    with write_transaction() as conn:
        assert write_docs(conn, [doc], None)[0]["ok"]
    return doc


def pregnant_woman() -> dict:
    """A woman of 28, 20 weeks pregnant (an ongoing pregnancy document)."""
    today = dt.date.today()
    woman = person(name="Rina Wati", birth_date=(today - dt.timedelta(days=28 * 365)).isoformat())
    pregnancy = factories.pregnancy(woman, hpht=(today - dt.timedelta(weeks=20)).isoformat())
    with write_transaction() as conn:
        assert write_docs(conn, [pregnancy], None)[0]["ok"]
    return woman


def arrival(person_doc: dict, cluster: str = "3", day: str | None = None) -> str:
    arrival_id = str(uuid.uuid4())
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_arrivals).values(
            id=arrival_id, day=day or clock.today().isoformat(), person_id=person_doc["_id"],
            desa=person_doc["desa"], complaint=None, payer="jkn", new_patient=False,
            emergency=False, disability=False, symptoms="[]", priority="normal",
            priority_groups=json.dumps([]), proposed_cluster=cluster, cluster=cluster,
            created_at=STAMP, created_by="loket1"))
    return arrival_id


def entry(arrival_id: str, point: str, status: str = "called", ticket: str = "C-001",
          previous: int | None = None) -> int:
    """A queue entry of the arrival's person at `point`, of the arrival's day."""
    with write_transaction() as conn:
        found = conn.execute(sa.select(flow_arrivals.c.person_id, flow_arrivals.c.day)
                             .where(flow_arrivals.c.id == arrival_id)).one()
        return conn.execute(sa.insert(flow_queue_entries).values(
            arrival_id=arrival_id, person_id=found.person_id, service_point_id=point,
            day=found.day, ticket=ticket, priority_rank=2, queued_at=STAMP, status=status,
            previous_id=previous, created_at=STAMP, created_by="loket1",
            called_at=STAMP if status != "waiting" else None,
            call_count=0 if status == "waiting" else 1)).inserted_primary_key[0]


def end(entry_id: int, status: str = "transferred") -> None:
    with write_transaction() as conn:
        conn.execute(sa.update(flow_queue_entries).where(flow_queue_entries.c.id == entry_id)
                     .values(status=status, ended_at=STAMP))


def entry_row(entry_id: int) -> dict:
    with read_transaction() as conn:
        return dict(conn.execute(sa.select(flow_queue_entries)
                                 .where(flow_queue_entries.c.id == entry_id)).mappings().one())


def count(table: sa.Table, *where) -> int:
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar()


def state() -> dict:
    """What a refused request must leave as it was: documents, read model, audit trail and
    every flow row a desk, lab or pharmacy request writes."""
    with read_transaction() as conn:
        def rows(table: sa.Table) -> list:
            return [tuple(row) for row in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
        return {"documents": conn.execute(sa.select(documents.c.id, documents.c.winner)
                                          .order_by(documents.c.id)).all(),
                "encounters": rows(encounters), "tasks": rows(tasks),
                "audit": conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                                      .where(audit_log.c.action == "document.write")).scalar(),
                "entries": rows(flow_queue_entries), "lab_orders": rows(flow_lab_orders),
                "dispensings": rows(flow_dispensings)}


def lab_order(arrival_id: str, entry_id: int, tests: tuple[str, ...] = (HB,)) -> int:
    """An open order of `tests` from queue entry `entry_id` of the arrival."""
    with write_transaction() as conn:
        person_id = conn.execute(sa.select(flow_arrivals.c.person_id)
                                 .where(flow_arrivals.c.id == arrival_id)).scalar_one()
        return conn.execute(sa.insert(flow_lab_orders).values(
            arrival_id=arrival_id, entry_id=entry_id, person_id=person_id,
            tests=json.dumps(list(tests)), ordered_at=STAMP, ordered_by="bidan2")
        ).inserted_primary_key[0]


def flow_scope_world(records: dict, marker) -> tuple[dict, dict, dict]:
    """For the generated scope test (tests/api): the service points, and for the person of
    each desa of `records` an arrival to klaster 2 whose (done) desk entry holds a visit with a
    prescription (its drug named by `marker(desa)`) and an open Hb order. Returns the
    arrivals, visits and desk entries by desa."""
    from tests.flow import world  # noqa: PLC0415 (flow tests' points, only when asked for)

    with write_transaction() as conn:
        world.add_points(conn)
    arrivals, visits, desks = {}, {}, {}
    for desa, docs in records.items():
        person_doc = docs["person"]
        arrivals[desa] = arrival(person_doc, cluster="2")
        desks[desa] = entry(arrivals[desa], "k2", status="done", ticket="B-001")
        visit = factories.encounter(person_doc, setting="puskesmas", cluster="2",
                                    notes=marker(desa),
                                    prescriptions=[{"drug": marker(desa), "quantity": 100}])
        with write_transaction() as conn:
            assert write_docs(conn, [visit], None)[0]["ok"]
            conn.execute(sa.update(flow_queue_entries).where(
                flow_queue_entries.c.id == desks[desa]).values(encounter_id=visit["_id"]))
        visits[desa] = visit["_id"]
        lab_order(arrivals[desa], desks[desa])
    return arrivals, visits, desks
