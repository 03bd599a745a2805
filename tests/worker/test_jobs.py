"""The real jobs, run by the worker: the reminder scheduler and the outbox pruning (B's
functions), conflict resolution."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend import clock
from backend.db import write_transaction
from backend.push import outbox
from backend.push.tables import push_outbox
from tests.reminders.conftest import outbox_rows
from tests.worker.conftest import recorded


def test_the_reminders_job_queues_a_households_reminders_once(app, home, runner, monkeypatch):
    """The first morning (09:00 WIB, window open) in the next weeks when the baby's rules fire
    queues rows; the worker run again at that moment queues nothing more."""
    def worker_at(day: dt.date):
        nine = dt.datetime.combine(day, dt.time(9), clock.zone())
        monkeypatch.setattr(clock, "_utc_source", lambda: nine.astimezone(dt.UTC))
        assert runner.invoke(args=["worker", "--once", "--only", "reminders"]).exit_code == 0
        return outbox_rows(household_id=home.house["_id"])

    day = dt.date.today()
    while not (queued := worker_at(day)):
        assert day < dt.date.today() + dt.timedelta(days=60), "no reminder in 60 days"
        day += dt.timedelta(days=1)
    assert worker_at(day) == queued
    assert recorded()["reminders"]["failures"] == 0


def test_the_prune_job_deletes_finished_rows_past_the_retention(app, runner):
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=app.config["PUSH_OUTBOX_RETENTION_DAYS"] + 1)
    row = {"subscription_id": "s1", "kind": "staff", "username": "pustu_a", "rule": "tasks",
           "payload": {"title": "x"}, "ttl": 60, "urgency": "normal",
           "not_before": outbox.iso(old), "expires_at": outbox.iso(old + dt.timedelta(days=1))}
    with write_transaction() as conn:
        outbox.enqueue(conn, [dict(row, key="old"), dict(row, key="new")], now=old)
        conn.execute(push_outbox.update().where(push_outbox.c.key == "new")
                     .values(created_at=outbox.iso(dt.datetime.now(dt.UTC))))
        conn.execute(push_outbox.update().values(status="sent"))
    assert runner.invoke(args=["worker", "--once", "--only", "prune"]).exit_code == 0
    with write_transaction() as conn:
        assert list(conn.execute(sa.select(push_outbox.c.key)).scalars()) == ["new"]
