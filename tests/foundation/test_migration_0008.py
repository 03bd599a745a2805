"""0008: places gain their dusun, filled from the winning documents."""

from __future__ import annotations

import sqlalchemy as sa

from backend.migrate import upgrade
from tests.foundation.test_migration_data import _downgrade, empty_engine  # noqa: F401

PLACES = {"place:posyandu": '{"kind":"posyandu","name":"Melati","dusun":"Dusun Kaler"}',
          "place:desa": '{"kind":"desa","name":"Cikalong"}'}


def test_0008_fills_the_dusun_from_the_documents(empty_engine):  # noqa: F811
    upgrade(empty_engine, "0007")
    with empty_engine.begin() as conn:
        for seq, (doc_id, body) in enumerate(PLACES.items(), start=1):
            conn.execute(sa.text(
                "INSERT INTO documents (id, type, scope, seq, winner, deleted, has_conflicts, "
                "tree, body) VALUES (:id, 'place', '*', :seq, '1-a', FALSE, FALSE, '{}', :b)"),
                {"id": doc_id, "seq": seq, "b": body})
            conn.execute(sa.text("INSERT INTO places (id, kind, name) VALUES (:id, 'x', 'x')"),
                         {"id": doc_id})
    upgrade(empty_engine, "0008")
    with empty_engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, dusun FROM places")).all())
    assert rows == {"place:posyandu": "Dusun Kaler", "place:desa": None}
    _downgrade(empty_engine, "0007")
