"""A worker with a clock the test moves, and jobs made to order."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend.db import read_transaction
from backend.worker.jobs import Job
from backend.worker.loop import Worker
from backend.worker.tables import worker_jobs, worker_leases
from tests.push.conftest import at, outbox, push_app, receiver, vapid_pair  # noqa: F401  (C's)
from tests.reminders.conftest import home  # noqa: F401  (B's subscribed household)
from tests.sync.conftest import couch  # noqa: F401  (a replicating client)

START = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self):
        self.at = START

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_worker(app, clock):
    return lambda jobs: Worker(app, jobs, now=clock)


def job(name: str, run=lambda _app, _now: {"done": 1}, every: float = 60, **kw) -> Job:
    return Job(name, lambda _config: every, run, **kw)


def recorded() -> dict[str, dict]:
    with read_transaction() as conn:
        return {r.name: dict(r._mapping) for r in conn.execute(sa.select(worker_jobs))}


def leases() -> list[str]:
    with read_transaction() as conn:
        return list(conn.execute(sa.select(worker_leases.c.holder)).scalars())
