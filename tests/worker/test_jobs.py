"""The real jobs, run by the worker: the reminder scheduler and the outbox pruning (B's
functions), conflict resolution."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import write_transaction
from backend.push import outbox
from backend.push.tables import push_outbox
from backend.worker import jobs
from backend.worker.loop import Worker
from tests import factories as f
from tests.reminders.conftest import outbox_rows
from tests.sync.test_conflicts import T1, T2, _branches, edited
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


def test_the_push_job_delivers_due_rows_once(push_app, receiver, outbox, at, runner):
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser))
    for _ in range(2):
        assert runner.invoke(args=["worker", "--once", "--only", "push"]).exit_code == 0
    assert len(receiver.received(browser)) == 1 and outbox.row(row_id)["status"] == "sent"
    assert recorded()["push"]["runs"] == 2


def test_two_workers_on_postgresql_deliver_each_message_once(push_app, receiver, outbox, at):
    if push_app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("one worker on SQLite (the lease tests)")
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    sub = outbox.subscribe(browser)
    rows = [outbox.queue(sub, household=f"hh-{n}") for n in range(40)]
    workers = [Worker(push_app, jobs.registry(push_app.config, ["push"])) for _ in range(2)]
    barrier = threading.Barrier(2)

    def run(worker: Worker) -> None:
        with push_app.app_context():
            barrier.wait()
            worker.run(once=True)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)   # a deadline for a hung worker: on a busy machine 30 s was too short
    assert not any(thread.is_alive() for thread in threads)
    assert len(receiver.received(browser)) == 40
    assert {outbox.row(r)["status"] for r in rows} == {"sent"}
    assert recorded()["push"]["runs"] == 2 and recorded()["push"]["failures"] == 0


def test_the_conflicts_job_merges_what_replication_left_open(app, couch, runner, caplog):
    app.config["RESOLVE_CONFLICTS_ON_WRITE"] = False
    doc = f.person()
    couch("pustu_a").bulk(_branches(doc, edited(doc, T1, name="A"), edited(doc, T2, name="B")),
                          new_edits=False)
    assert couch("admin").get("/_conflicts").json["open"]
    assert runner.invoke(args=["worker", "--once", "--only", "conflicts"]).exit_code == 0
    assert couch("admin").get("/_conflicts").json["open"] == []
    assert "job conflicts ok" in caplog.text and "merged=1" in caplog.text
