"""`flask seed-demo` end to end on SQLite and PostgreSQL: every document lands through the write
path, the read model matches the documents, and the demo logins work."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from backend.auth.users import create_user, list_users
from backend.db import read_transaction, write_transaction
from backend.demo import DEMO_PASSWORD, demo_users, generate_documents, loader, seed
from backend.demo.loader import DemoLoadError
from backend.projections import tables as t
from backend.sync import reads

SCALE, SEED = 0.125, 5     # one desa keeps both databases well under half a minute
TABLES = {"place": t.places, "household": t.households, "person": t.persons,
          "pregnancy": t.pregnancies, "encounter": t.encounters, "task": t.tasks,
          "posyandu_session": t.posyandu_sessions}
CHILDREN = {"immunizations": t.immunizations, "diagnoses": t.diagnoses,
            "screenings": t.screenings, "services": t.services}


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_seed_demo_projects_every_document_and_creates_logins(app, runner):
    result = runner.invoke(args=["seed-demo", "--scale", str(SCALE), "--seed", str(SEED)])
    assert result.exit_code == 0, result.output
    docs = generate_documents(scale=SCALE, seed=SEED, today=dt.date.today())
    expected = Counter(doc["type"] for doc in docs)
    encounters = [doc for doc in docs if doc["type"] == "encounter"]
    task_ids = [doc["_id"] for doc in docs if doc["type"] == "task"]
    with read_transaction() as conn:
        # Tasks: the generator's own, plus any the server derives from the findings of the
        # encounters it stores (docs/demo.md), so those are counted by id.
        counts = {k: _count(conn, table) for k, table in TABLES.items() if k != "task"}
        counts["task"] = conn.execute(sa.select(sa.func.count()).select_from(t.tasks)
                                      .where(t.tasks.c.id.in_(task_ids))).scalar_one()
        assert counts == {k: expected[k] for k in TABLES}
        for field, table in CHILDREN.items():
            assert _count(conn, table) == sum(len(e.get(field, [])) for e in encounters)
        users = {u.username: u for u in list_users(conn)}
    codes = sorted({doc["desa"] for doc in docs if doc["desa"]})
    wanted = demo_users(codes)
    assert set(users) == {u["username"] for u in wanted}
    for user in wanted:
        assert sorted(users[user["username"]].scopes) == user["scopes"]
        assert user["username"] in result.output
    login = app.test_client().post("/api/v1/auth/login", json={
        "username": "bidan.sukamanah", "password": DEMO_PASSWORD})
    assert login.status_code == 200 and login.json["scopes"] == codes



def test_seed_refuses_to_start_when_demo_logins_exist(app):
    with write_transaction() as conn:
        create_user(conn, username="kapus", password="rahasia-123", display_name="Kapus",
                    role="kapus", scopes=[])
    with pytest.raises(DemoLoadError, match="kapus"):
        seed(scale=SCALE, seed=SEED)
    with read_transaction() as conn:
        assert reads.info(conn, "")["doc_count"] == 0


def test_seed_stops_at_a_refused_document(app, monkeypatch):
    places = [d for d in generate_documents(SCALE, SEED) if d["type"] == "place"]
    broken = {"_id": "encounter:x", "type": "encounter", "schema": 1, "desa": places[1]["desa"],
              "created_at": "2026-01-05T08:00:00+07:00", "created_by": "demo"}  # no person
    monkeypatch.setattr(loader, "generate_documents", lambda **_: [*places, broken])
    with pytest.raises(DemoLoadError, match="encounter:x refused"):
        seed(scale=SCALE, seed=SEED)
