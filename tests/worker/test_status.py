"""What the admin's outbox screen shows of the worker (backend/worker/status.py)."""

from __future__ import annotations

import datetime as dt

from backend.db import read_transaction, write_transaction
from backend.worker import jobs, lease, status, times
from tests.worker.conftest import START

HUB = "http://siklus:rahasia-hub@127.0.0.1:9/siklus_320419"   # port 9: nothing answers


def job_status(app, now=START) -> dict[str, dict]:
    with read_transaction() as conn:
        return {s["name"]: s for s in status.jobs(conn, app.config, now)}


def test_before_any_run_every_job_is_due_now_and_no_worker_is_alive(app):
    found = job_status(app)
    assert list(found) == [j.name for j in jobs.registry(app.config)]
    assert all(s["ok"] is None and s["runs"] == 0 and not s["worker_alive"]
               and s["next_due_at"] == times.stamp(START) for s in found.values())


def test_status_shows_the_last_run_its_error_and_the_next_due_time(app, make_worker, clock):
    app.config["UPSTREAM_URL"] = HUB
    worker = make_worker(jobs.registry(app.config))
    with write_transaction() as conn:
        lease.acquire(conn, worker.holder, START, 60)
    assert worker.tick() == ["reminders", "push", "prune", "conflicts", "upstream"]
    found = job_status(app, START + dt.timedelta(seconds=30))
    conflicts, upstream = found["conflicts"], found["upstream"]
    assert conflicts["ok"] is True and conflicts["runs"] == 1 and conflicts["worker_alive"]
    assert conflicts["next_due_at"] == times.stamp(START + dt.timedelta(
        seconds=jobs.CONFLICTS_SECONDS))
    assert upstream["ok"] is False and upstream["failures"] == 1
    assert upstream["last_error"].startswith(
        "UpstreamUnreachable: http://127.0.0.1:9/siklus_320419: ")
    assert "rahasia" not in upstream["last_error"]   # the hub's password stays in the setting
    assert not job_status(app, START + dt.timedelta(seconds=61))["conflicts"]["worker_alive"]
