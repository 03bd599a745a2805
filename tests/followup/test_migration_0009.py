"""0009: tasks gain their follow-up columns, filled from the winning documents, and lose them
again on the way down."""

from __future__ import annotations

import sqlalchemy as sa

from backend.migrate import upgrade
from tests.foundation.test_migration_data import _downgrade, empty_engine  # noqa: F401

DERIVED = ('{"reason":"Tekanan darah tinggi","origin":"encounter:1","rule":"hipertensi_hamil",'
           '"cluster":"2","urgent":true,"outcome_code":"datang"}')
TASKS = {"task:derived": DERIVED, "task:manual": '{"reason":"Kunjungan rumah"}'}


def test_0009_fills_the_follow_up_columns_from_the_documents(empty_engine):  # noqa: F811
    upgrade(empty_engine, "0008")
    with empty_engine.begin() as conn:
        for seq, (doc_id, body) in enumerate(TASKS.items(), start=1):
            conn.execute(sa.text(
                "INSERT INTO documents (id, type, scope, seq, winner, deleted, has_conflicts, "
                "tree, body) VALUES (:id, 'task', '3204190001', :seq, '1-a', FALSE, FALSE, "
                "'{}', :b)"), {"id": doc_id, "seq": seq, "b": body})
            conn.execute(sa.text(
                "INSERT INTO tasks (id, desa, reason, due_date, status, created_at) VALUES "
                "(:id, '3204190001', 'x', '2026-11-30', 'open', '2026-11-30T08:00:00Z')"),
                {"id": doc_id})
    upgrade(empty_engine, "0009")
    with empty_engine.connect() as conn:
        rows = {r.id: tuple(r)[1:] for r in conn.execute(sa.text(
            "SELECT id, origin_id, rule, cluster, urgent, outcome_code FROM tasks"))}
    assert rows == {"task:derived": ("encounter:1", "hipertensi_hamil", "2", True, "datang"),
                    "task:manual": (None, None, None, None, None)}
    _downgrade(empty_engine, "0008")
    with empty_engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("tasks")}
        assert conn.execute(sa.text("SELECT count(*) FROM tasks")).scalar() == 2
    assert columns.isdisjoint({"origin_id", "rule", "cluster", "urgent", "outcome_code"})
