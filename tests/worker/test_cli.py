"""`flask --app backend worker` (backend/worker/cli.py)."""

from __future__ import annotations

import datetime as dt

from backend import clock
from backend.db import write_transaction
from backend.worker import lease
from tests.worker.conftest import leases, recorded


def test_once_runs_the_due_jobs_and_exits(runner):
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert recorded()["conflicts"]["runs"] == 1 and leases() == []


def test_only_refuses_an_unknown_job_by_name(runner):
    result = runner.invoke(args=["worker", "--once", "--only", "sender"])
    assert result.exit_code == 2
    assert "the jobs are reminders, push, prune, conflicts, upstream" in result.output


def test_a_second_worker_on_sqlite_says_why_it_will_not_start(app, runner):
    with write_transaction() as conn:
        lease.acquire(conn, "tablet-server:4242:abcd", clock.utc_now(), 60)
    result = runner.invoke(args=["worker", "--once"])
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert result.exit_code == 1
        assert "another worker (tablet-server:4242:abcd) is running" in result.output
    else:
        assert result.exit_code == 0 and recorded()["conflicts"]["runs"] == 1


def test_the_lease_it_takes_expires_when_the_worker_dies(runner):
    with write_transaction() as conn:
        lease.acquire(conn, "crashed:1:dead",
                      clock.utc_now() - dt.timedelta(seconds=120), 60)
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0


def test_a_worker_that_cannot_sign_pushes_refuses_to_start(app, runner):
    app.config["VAPID_SUBJECT"] = "mailto:admin@localhost"
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 1 and "cannot send web push" in result.output
    assert "VAPID_SUBJECT" in result.output and "conflicts" not in recorded()
    assert runner.invoke(args=["worker", "--once", "--only", "conflicts"]).exit_code == 0
