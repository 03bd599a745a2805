"""The worker's loop: every WORKER_TICK_SECONDS it renews its lease and runs the jobs that are
due, one after another. A job's exception is logged with its traceback and recorded, and the
other jobs run as usual. `stop()` (SIGTERM, SIGINT) lets the running job finish, then the loop
releases the lease and returns."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from flask import Flask

from backend import clock
from backend.db import read_transaction, write_transaction
from backend.worker import lease, runs, times
from backend.worker.jobs import Job

log = logging.getLogger("backend.worker")


class Worker:
    def __init__(self, app: Flask, jobs: Sequence[Job], *,
                 now: Callable[[], dt.datetime] = clock.utc_now):
        self.app = app
        self.jobs = list(jobs)
        self.now = now
        self.holder = lease.new_holder()
        self.tick_seconds = float(app.config["WORKER_TICK_SECONDS"])
        self.lease_seconds = float(app.config["WORKER_LEASE_SECONDS"])
        self._stopping = threading.Event()
        self._ticks = 0

    def stop(self) -> None:
        """Finish the job that runs now, then return from `run` (safe from a signal handler)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run(self, once: bool = False) -> None:
        """Take the lease (LeaseHeld when another worker runs on SQLite), tick until stopped
        (or once), release the lease."""
        with write_transaction() as conn:
            lease.acquire(conn, self.holder, self.now(), self.lease_seconds)
        log.info("worker %s started: %s", self.holder, ", ".join(j.name for j in self.jobs))
        try:
            while not self.stopping:
                began = time.monotonic()
                self._tick_or_log()
                if once:
                    break
                self._stopping.wait(max(0.0, self.tick_seconds - (time.monotonic() - began)))
        finally:
            with write_transaction() as conn:
                lease.release(conn, self.holder)
            log.info("worker %s stopped", self.holder)

    def _tick_or_log(self) -> None:
        """A tick that fails outside a job (the database restarting, SQLite locked past its
        busy timeout) is logged and tried again next tick: exiting would take `make run`'s
        web process down with it (honcho stops all when one ends). LeaseHeld still ends it."""
        try:
            self.tick()
        except lease.LeaseHeld:
            raise
        except Exception:
            log.exception("worker tick failed; trying again in %.0f s", self.tick_seconds)

    def tick(self) -> list[str]:
        """Run every job that is due; returns the names of those that ran."""
        first = self._ticks == 0
        self._ticks += 1
        with write_transaction() as conn:
            self._renew(conn, self.now())
        with read_transaction() as conn:
            started = runs.last_started(conn)
        ran = []
        for job in self.jobs:
            if self.stopping:
                break
            if not (first and job.at_start) and not _due(started.get(job.name),
                                                         job.interval(self.app.config),
                                                         self.now()):
                continue
            if self.run_job(job, force=first and job.at_start):
                ran.append(job.name)
        return ran

    def run_job(self, job: Job, force: bool = False) -> bool:
        """Claim, run and record one job; False when another worker claimed it first."""
        now = self.now()
        with write_transaction() as conn:
            self._renew(conn, now)
            if not runs.claim(conn, job.name, now, job.interval(self.app.config), force):
                return False
        began = time.perf_counter()
        try:
            counts = job.run(self.app, now.astimezone(clock.zone()))
            error = None
        except Exception as exc:
            log.exception("job %s failed", job.name)
            counts, error = {}, f"{type(exc).__name__}: {exc}"
        duration_ms = round((time.perf_counter() - began) * 1000)
        with write_transaction() as conn:
            runs.finish(conn, job.name, self.now(), duration_ms, error)
        if error is None:
            # The sender runs every tick: its idle ticks would be 17,000 lines a day.
            level = logging.DEBUG if job.interval(self.app.config) == 0 and _idle(counts) else (
                logging.INFO)
            log.log(level, "job %s ok in %d ms: %s", job.name, duration_ms, _counts(counts))
        return True

    def _renew(self, conn, now: dt.datetime) -> None:
        """Renewed every tick and before each job (a long job must not let it lapse). Lost
        (expired, cleared by a new worker): taken again, or LeaseHeld if that one runs."""
        if not lease.renew(conn, self.holder, now, self.lease_seconds):
            log.warning("worker %s: lease had expired; taking it again", self.holder)
            lease.acquire(conn, self.holder, now, self.lease_seconds)


def _due(last_started: str | None, interval: float, now: dt.datetime) -> bool:
    return last_started is None or times.parse(last_started) <= (
        now - dt.timedelta(seconds=interval))


def _counts(counts: dict | None) -> str:
    """`queued=3, reminders.imm_due=2`: a job's counts, nested ones flattened."""
    return ", ".join(f"{k}={v}" for k, v in _pairs(counts or {})) or "nothing to do"


def _idle(counts: dict | None) -> bool:
    """Nothing counted: every whole-number count is 0 (durations and flags aside)."""
    return not any(v for _, v in _pairs(counts or {}) if type(v) is int)


def _pairs(counts: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    for name, value in counts.items():
        if isinstance(value, dict):
            yield from _pairs(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value
