"""The worker's scheduler run evaluates without SQLite's write lock (a tablet's write meanwhile
does not wait for it) and writes the outbox in one short write transaction, re-checking the
recipients there: a consent revoked while the plan was being made queues nothing."""

from __future__ import annotations

import sqlite3

from backend.db import engine, read_transaction, write_transaction
from backend.followup.inputs import bodies
from backend.reminders import scheduler
from backend.worker import jobs
from tests.reminders.conftest import first_day, local, outbox_rows, save


def test_the_worker_evaluates_in_a_read_transaction_and_tablets_write_meanwhile(
        app, home, monkeypatch):
    day = first_day("imunisasi_jatuh_tempo")
    seen: list[bool] = []
    collect = scheduler.collect

    def evaluating(ctx):
        seen.append(bool(ctx.conn.get_execution_options().get("siklus_write")))
        if engine().dialect.name == "sqlite":
            # A tablet's write while the rules are evaluated: it must not wait (0.2 s, not 30).
            other = sqlite3.connect(engine().url.database, timeout=0.2, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            finally:
                other.close()
        return collect(ctx)

    monkeypatch.setattr(scheduler, "collect", evaluating)
    counts = jobs._reminders(app, local(day, 9))
    assert seen == [False]
    assert counts["queued"] == 1 and 0 <= counts["write_seconds"] <= counts["seconds"]
    assert [r["rule"] for r in outbox_rows()] == ["imunisasi_jatuh_tempo"]
    assert jobs._reminders(app, local(day, 9, 5))["queued"] == 0   # the key: once


def test_a_consent_revoked_between_evaluating_and_writing_queues_nothing(home):
    day = first_day("imunisasi_jatuh_tempo")
    with read_transaction() as conn:
        plan = scheduler.plan(conn, local(day, 9))
        consent = bodies(conn, [home.consent["_id"]])[home.consent["_id"]]
    assert [row["rule"] for row in plan.rows] == ["imunisasi_jatuh_tempo"]
    save({**consent, "revoked_at": "2026-01-06T08:00:00+07:00"})
    with write_transaction() as conn:
        counts = scheduler.apply(conn, plan)
    assert (counts["rows"], counts["queued"]) == (0, 0)
    assert outbox_rows() == []
