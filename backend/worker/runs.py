"""Each job's record in `worker_jobs`: claimed when due, then its outcome (ok or the error),
duration and counters. Claiming is one conditional UPDATE, so when several workers run on
PostgreSQL a periodic job due once is started by one of them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from backend.worker.tables import worker_jobs
from backend.worker.times import stamp

ERROR_CHARS = 500   # the column's width


def last_started(conn: sa.Connection) -> dict[str, str | None]:
    return {row.name: row.last_started_at for row in conn.execute(
        sa.select(worker_jobs.c.name, worker_jobs.c.last_started_at))}


def rows(conn: sa.Connection) -> dict[str, dict]:
    return {row.name: dict(row._mapping) for row in conn.execute(sa.select(worker_jobs))}


def claim(conn: sa.Connection, name: str, now: dt.datetime, interval: float,
          force: bool = False) -> bool:
    """Mark the job started at `now` if it is due (never started, or started `interval`
    seconds ago or longer; always when `force`). False: another worker started it meanwhile."""
    _ensure_row(conn, name)
    due = sa.true() if force else sa.or_(
        worker_jobs.c.last_started_at.is_(None),
        worker_jobs.c.last_started_at <= stamp(now - dt.timedelta(seconds=interval)))
    done = conn.execute(worker_jobs.update().where(worker_jobs.c.name == name, due)
                        .values(last_started_at=stamp(now)))
    return done.rowcount == 1


def finish(conn: sa.Connection, name: str, finished: dt.datetime, duration_ms: int,
           error: str | None) -> None:
    """Record the outcome. The last error stays after the job recovers (with the failure
    count it tells an admin what went wrong); `last_ok_at == last_finished_at` says the last
    run was ok."""
    values = dict(last_finished_at=stamp(finished), last_duration_ms=duration_ms,
                  runs=worker_jobs.c.runs + 1)
    if error is None:
        values["last_ok_at"] = stamp(finished)
    else:
        values.update(last_error=error[:ERROR_CHARS], failures=worker_jobs.c.failures + 1)
    conn.execute(worker_jobs.update().where(worker_jobs.c.name == name).values(**values))


def _ensure_row(conn: sa.Connection, name: str) -> None:
    insert = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(worker_jobs)
    conn.execute(insert.values(name=name, runs=0, failures=0).on_conflict_do_nothing())
