"""A world with a Pustu in desa A (desa B has none), clients for /sync and REST, and the
documents a kader's tablet pushes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from backend.clinical import default_config, encounter_findings, follow_ups
from backend.db import read_transaction, write_transaction
from backend.projections.tables import tasks
from backend.writes import write_docs
from tests import factories as f
from tests.sync.conftest import SyncClient

TODAY = dt.date.today()


@pytest.fixture
def pustu_a(world) -> dict:
    place = f.place("pustu", "Pustu Cikalong", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    with write_transaction() as conn:
        assert write_docs(conn, [place], None)[0]["ok"]
    return place


@pytest.fixture
def couch(app, world, pustu_a):
    return lambda username, basic=False: SyncClient(app, username, basic)


def man(desa: str = f.DESA_A) -> dict:
    return f.person(desa=desa, name="Pak Darto", sex="L", birth_date="1968-03-02")


def girl() -> dict:
    """Seventeen, pregnant since 21 weeks."""
    return f.person(name="Nia", sex="P",
                    birth_date=(TODAY - dt.timedelta(days=17 * 365 + 40)).isoformat())


def pregnancy_of(person: dict) -> dict:
    return f.pregnancy(person, hpht=(TODAY - dt.timedelta(weeks=21)).isoformat(), gravida=1)


def visit(person: dict, **measurements) -> dict:
    return f.encounter(person, date=TODAY.isoformat(), measurements=measurements)


def srq20(person: dict, yes: int) -> dict:
    answers = {str(i): i <= yes for i in range(1, 21)}
    return f.encounter(person, screenings=[{"instrument": "srq20", "answers": answers}])


def replicated(*docs: dict) -> list[dict]:
    """As PouchDB pushes them: `new_edits: false` with each revision's history."""
    out = []
    for doc in docs:
        rev = uuid.uuid4().hex
        out.append({**doc, "_rev": f"1-{rev}", "_revisions": {"start": 1, "ids": [rev]}})
    return out


def task_rows(person: dict | None = None) -> list[sa.Row]:
    query = sa.select(tasks).order_by(tasks.c.created_at, tasks.c.id)
    if person is not None:
        query = query.where(tasks.c.person_id == person["_id"])
    with read_transaction() as conn:
        return conn.execute(query).all()


def expected(person: dict, encounter: dict, *history: dict) -> dict[str, dict]:
    """The clinical evaluator's follow-ups of a visit by rule: what the task must carry. The
    rules and their wording are config/ilp's (tested by its vectors); these tests check that
    the server turns them into tasks, whatever the current wording and due days."""
    findings = encounter_findings(default_config(), person=person, encounter=encounter,
                                  history=list(history))
    return {f["rule"]: f for f in follow_ups(default_config(), findings=findings)}


def push(client: SyncClient, *docs: dict) -> list[dict]:
    response = client.bulk(replicated(*docs), new_edits=False)
    assert response.status_code == 201, response.json
    assert all("error" not in r for r in response.json), response.json
    return response.json
