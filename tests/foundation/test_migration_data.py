"""Migrations that move data keep it: upgrade from the revision before, then back down.

Each database gets its own empty store here (a file, or a PostgreSQL schema of its own), since
the shared fixtures are already at head.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from backend.db import make_engine
from backend.migrate import alembic_config, upgrade
from tests.pg import own_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    with own_schema("siklus_migration") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


ENCOUNTER = {"person_id": "person:1", "desa": "3204190001", "date": "2026-10-01",
             "setting": "posyandu", "created_at": "2026-10-01T08:30:00+07:00"}
OBSERVED = [("weight_kg", 9.4, None), ("sbp", 120.0, None), ("dbp", 80.0, None),
            ("length_or_height", None, "lying"), ("oedema", 1.0, None)]


def test_0003_moves_observations_onto_their_encounters_and_back(empty_engine):
    upgrade(empty_engine, "0002")
    with empty_engine.begin() as conn:
        for n in (1, 2):
            conn.execute(sa.text(
                "INSERT INTO encounters (id, person_id, desa, date, setting, created_at) "
                "VALUES (:id, :person_id, :desa, :date, :setting, :created_at)"),
                {**ENCOUNTER, "id": f"encounter:{n}"})
        conn.execute(sa.text(
            "INSERT INTO observations (encounter_id, person_id, desa, date, code, value, text) "
            "VALUES ('encounter:1', 'person:1', '3204190001', '2026-10-01', :code, :value, "
            ":text)"), [{"code": c, "value": v, "text": t} for c, v, t in OBSERVED])

    upgrade(empty_engine, "0003")
    with empty_engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, weight_kg, sbp, dbp, length_or_height, oedema, height_cm "
            "FROM encounters ORDER BY id")).all()
        assert not sa.inspect(conn).has_table("observations")
    assert [tuple(r) for r in rows] == [("encounter:1", 9.4, 120, 80, "lying", True, None),
                                        ("encounter:2", None, None, None, None, None, None)]

    _downgrade(empty_engine, "0002")
    with empty_engine.connect() as conn:
        back = conn.execute(sa.text("SELECT code, value, text FROM observations "
                                    "WHERE encounter_id = 'encounter:1' ORDER BY code")).all()
        assert "weight_kg" not in {c["name"] for c in sa.inspect(conn).get_columns("encounters")}
    assert sorted(tuple(r) for r in back) == sorted(OBSERVED)


DOCUMENT = {"type": "person", "scope": "3204190001", "deleted": False, "doc_date": None}


def test_0004_moves_winner_bodies_onto_documents_and_back(empty_engine):
    upgrade(empty_engine, "0003")
    leaves = [("person:1", "1-aaa", False, '{"name":"Satu"}'),
              ("person:2", "2-ccc", False, '{"name":"Menang"}'),
              ("person:2", "2-bbb", False, '{"name":"Kalah"}'),
              ("person:2", "3-ddd", True, '{}')]
    with empty_engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO documents (id, type, scope, seq, winner, deleted, has_conflicts, "
            "doc_date, tree) VALUES (:id, :type, :scope, :seq, :winner, :deleted, "
            ":has_conflicts, :doc_date, '{}')"),
            [{**DOCUMENT, "id": "person:1", "seq": 1, "winner": "1-aaa", "has_conflicts": False},
             {**DOCUMENT, "id": "person:2", "seq": 2, "winner": "2-ccc", "has_conflicts": True}])
        conn.execute(sa.text("INSERT INTO revisions (doc_id, rev, deleted, body) "
                             "VALUES (:d, :r, :x, :b)"),
                     [{"d": d, "r": r, "x": x, "b": b} for d, r, x, b in leaves])

    upgrade(empty_engine, "0004")
    with empty_engine.connect() as conn:
        bodies = conn.execute(sa.text("SELECT id, body FROM documents ORDER BY id")).all()
        losing = conn.execute(sa.text("SELECT doc_id, rev, deleted, body FROM losing_leaves "
                                      "ORDER BY rev")).all()
        assert not sa.inspect(conn).has_table("revisions")
    assert [tuple(r) for r in bodies] == [("person:1", '{"name":"Satu"}'),
                                          ("person:2", '{"name":"Menang"}')]
    assert [tuple(r) for r in losing] == [tuple(x) for x in leaves[2:]]

    _downgrade(empty_engine, "0003")
    with empty_engine.connect() as conn:
        back = conn.execute(sa.text("SELECT doc_id, rev, deleted, body FROM revisions")).all()
        assert "body" not in {c["name"] for c in sa.inspect(conn).get_columns("documents")}
    assert sorted(tuple(r) for r in back) == sorted(leaves)
