"""The worker as an admin sees it (the outbox screen): each job's last run, outcome and next
due time, and whether a worker looks alive (a live lease)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa
from flask import current_app

from backend import clock
from backend.worker import jobs as registry
from backend.worker import lease, runs, times


def jobs(conn: sa.Connection, config: Mapping | None = None,
         now: dt.datetime | None = None) -> list[dict]:
    """One dict per job this instance runs, in the worker's order. Times are UTC ISO strings;
    `next_due_at` is when the worker will start it next if one is alive (never run: now)."""
    config = config if config is not None else current_app.config
    now = now or clock.utc_now()
    recorded = runs.rows(conn)
    alive = bool(lease.live(conn, now))
    return [_job(job, recorded.get(job.name, {}), config, now, alive)
            for job in registry.registry(config)]


def _job(job: registry.Job, row: dict, config: Mapping, now: dt.datetime, alive: bool) -> dict:
    interval = job.interval(config) or float(config["WORKER_TICK_SECONDS"])
    started = row.get("last_started_at")
    next_due = times.parse(started) + dt.timedelta(seconds=interval) if started else now
    finished, ok_at = row.get("last_finished_at"), row.get("last_ok_at")
    return {
        "name": job.name,
        "interval_seconds": interval,
        "last_started_at": started,
        "last_finished_at": finished,
        "last_ok_at": ok_at,
        "ok": None if finished is None else finished == ok_at,
        "last_error": row.get("last_error"),
        "last_duration_ms": row.get("last_duration_ms"),
        "runs": row.get("runs", 0),
        "failures": row.get("failures", 0),
        "next_due_at": times.stamp(max(next_due, now)),
        "worker_alive": alive,
    }
