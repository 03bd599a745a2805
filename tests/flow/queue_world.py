"""People and registrations for the queue tests: persons written through the one write path,
arrivals through the API as the loket clerk makes them."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.flow.tables import flow_arrivals, flow_calls, flow_queue_entries, flow_ticket_counters
from backend.writes import write_docs
from tests import factories

ADULT = "1985-03-02"      # Klaster 3
ELDER = "1950-07-01"      # Klaster 3, priority group lansia
CHILD = "2019-04-10"      # Klaster 2


def add_person(desa: str = factories.DESA_A, **fields) -> dict:
    doc = factories.person(desa, **{"name": "Budi Hartono", "sex": "L", "birth_date": ADULT,
                                    **fields})
    with write_transaction() as conn:
        result = write_docs(conn, [doc], None)[0]
    assert result.get("ok"), result
    return doc


def arrival_body(person: dict, **fields) -> dict:
    return {"person": person["_id"], "payer": "jkn", "new_patient": False, **fields}


def register(session, person: dict, **fields):
    return session.post("/api/v1/flow/arrivals", json=arrival_body(person, **fields))


def registered(session, person: dict, **fields) -> dict:
    response = register(session, person, **fields)
    assert response.status_code == 201, response.json
    return response.json


FLOW_STATE = (flow_arrivals, flow_queue_entries, flow_calls, flow_ticket_counters)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the queue tables, to assert that a refused request changed nothing."""
    with read_transaction() as conn:
        return {table.name: sorted(tuple(row) for row in conn.execute(sa.select(table)))
                for table in FLOW_STATE}
