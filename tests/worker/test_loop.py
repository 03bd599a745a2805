"""The worker's loop (backend/worker/loop.py): due jobs, failures recorded, signals, leases."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal

import pytest

from backend.db import write_transaction
from backend.worker import lease, runs, times
from backend.worker.cli import stop_on_signals
from tests.worker.conftest import START, job, leases, recorded


def boom(_app, _now):
    raise RuntimeError("push service on fire")


def test_a_failing_job_is_logged_and_recorded_and_the_others_still_run(make_worker, caplog):
    worker = make_worker([job("first"), job("broken", boom), job("last")])
    with caplog.at_level(logging.INFO, logger="backend.worker"):
        assert worker.tick() == ["first", "broken", "last"]
    rows = recorded()
    assert rows["broken"]["failures"] == 1 and rows["broken"]["runs"] == 1
    assert rows["broken"]["last_error"] == "RuntimeError: push service on fire"
    assert rows["broken"]["last_ok_at"] is None
    assert rows["last"]["last_ok_at"] == rows["last"]["last_finished_at"] is not None
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed[0].getMessage() == "job broken failed" and failed[0].exc_info
    assert "job last ok in" in caplog.text and "done=1" in caplog.text


def test_a_job_runs_again_only_when_its_interval_has_passed(make_worker, clock):
    calls = []
    worker = make_worker([job("often", lambda _a, now: calls.append(now) or {}, every=0),
                          job("hourly", every=3600)])
    assert worker.tick() == ["often", "hourly"]
    clock.advance(5)
    assert worker.tick() == ["often"]
    clock.advance(3600)
    assert worker.tick() == ["often", "hourly"]
    assert recorded()["hourly"]["runs"] == 2 and len(calls) == 3
    assert calls[0].utcoffset() == dt.timedelta(hours=7)   # the Puskesmas's time (WIB)


def test_a_start_job_runs_at_every_start_however_recently_it_ran(make_worker, clock):
    make_worker([job("reminders", every=600, at_start=True)]).run(once=True)
    clock.advance(60)
    make_worker([job("reminders", every=600, at_start=True)]).run(once=True)
    make_worker([job("reminders", every=600)]).run(once=True)   # not a start job: not due
    assert recorded()["reminders"]["runs"] == 2


def test_a_due_job_is_claimed_by_one_worker_only(app, clock):
    with write_transaction() as conn:
        assert runs.claim(conn, "prune", clock(), 86400)
        assert not runs.claim(conn, "prune", clock(), 86400)   # a second worker, same moment
        assert runs.claim(conn, "push", clock(), 0)             # every tick: each worker runs it
        assert runs.claim(conn, "push", clock(), 0)


def test_once_runs_one_tick_and_releases_the_lease(make_worker):
    worker = make_worker([job("a")])
    worker.run(once=True)
    assert recorded()["a"]["runs"] == 1 and leases() == []


def test_sigterm_lets_the_current_job_finish_then_stops_and_releases(make_worker, caplog):
    def terminated(_app, _now):
        os.kill(os.getpid(), signal.SIGTERM)
        return {"finished": 1}

    worker = make_worker([job("current", terminated), job("next")])
    before = signal.getsignal(signal.SIGTERM)
    with caplog.at_level(logging.INFO, logger="backend.worker"), stop_on_signals(worker.stop):
        worker.run()   # returns: no second tick, no sleep
    assert signal.getsignal(signal.SIGTERM) is before
    assert "SIGTERM received" in caplog.text
    assert recorded()["current"]["last_ok_at"] is not None and "next" not in recorded()
    assert leases() == []


def test_lease_refuses_a_second_worker_on_sqlite_and_allows_it_on_postgresql(app, make_worker):
    with write_transaction() as conn:
        lease.acquire(conn, "other:1:a", START, 60)
    second = make_worker([job("a")])
    if app.config["DATABASE_URL"].startswith("sqlite"):
        with pytest.raises(lease.LeaseHeld, match=r"other:1:a.*only one worker"):
            second.run(once=True)
        assert "a" not in recorded()
    else:
        with write_transaction() as conn:
            lease.acquire(conn, "third:2:b", START, 60)
            assert {row["holder"] for row in lease.live(conn, START)} == {
                "other:1:a", "third:2:b"}
        second.run(once=True)
        assert recorded()["a"]["runs"] == 1
    assert sorted(leases())[0] == "other:1:a"


def test_a_dead_workers_lease_expires(make_worker, clock):
    with write_transaction() as conn:
        lease.acquire(conn, "dead:1:a", START - dt.timedelta(seconds=61), 60)
    make_worker([job("a")]).run(once=True)
    assert recorded()["a"]["runs"] == 1 and leases() == []


def test_the_lease_is_renewed_every_tick(make_worker, clock):
    worker = make_worker([job("rare", every=86400)])
    worker.tick()   # takes no lease itself: run() does; a tick renews or retakes it
    clock.advance(50)
    worker.tick()
    with write_transaction() as conn:
        [live] = lease.live(conn, clock())
    assert live["holder"] == worker.holder and live["expires_at"] == times.stamp(
        START + dt.timedelta(seconds=110))


def test_idle_ticks_of_an_every_tick_job_are_not_logged_at_info(make_worker, caplog):
    counts = iter([{"sent": 0, "seconds": 0.002, "window_open": True}, {"sent": 3}])
    worker = make_worker([job("push", lambda _a, _n: next(counts), every=0),
                          job("prune", lambda _a, _n: {"pruned": 0}, every=86400)])
    with caplog.at_level(logging.INFO, logger="backend.worker"):
        worker.tick()
        worker.tick()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("job ")]
    assert [line.split(" ok ")[0] for line in lines] == ["job prune", "job push"]
    assert lines[1].endswith(": sent=3")


def test_a_tick_that_fails_outside_a_job_is_logged_and_the_worker_goes_on(app, make_worker,
                                                                         monkeypatch, caplog):
    app.config["WORKER_TICK_SECONDS"] = 0.01
    real, failures = runs.last_started, iter([RuntimeError("database is locked")])

    def flaky(conn):
        failure = next(failures, None)
        if failure:
            raise failure
        return real(conn)

    monkeypatch.setattr(runs, "last_started", flaky)
    worker = make_worker([job("stopper", lambda _a, _n: worker.stop() or {})])
    worker.run()
    assert recorded()["stopper"]["runs"] == 1 and leases() == []
    assert "worker tick failed" in caplog.text and "database is locked" in caplog.text
