"""The worker's lease (`worker_leases`): who runs, renewed every tick, expired when a worker dies.

SQLite has one writer at a time and no `SKIP LOCKED`, so one worker is enforced there: a second
refuses to start while another's lease is live. On PostgreSQL several may run; the outbox is
claimed row by row with `FOR UPDATE SKIP LOCKED`, and the leases only say who is alive.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

import sqlalchemy as sa

from backend.worker.tables import worker_leases
from backend.worker.times import stamp


class LeaseHeld(Exception):
    """Another worker holds a live lease on a database that allows only one."""

    def __init__(self, holder: str, expires_at: str):
        super().__init__(
            f"another worker ({holder}) is running: its lease lasts until {expires_at} (UTC). "
            f"On SQLite only one worker may run. Stop that one first; if it died, this one can "
            f"start once its lease has expired (WORKER_LEASE_SECONDS).")
        self.holder = holder
        self.expires_at = expires_at


def new_holder() -> str:
    """host:pid:random — unique even when a pid is reused after a restart."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def exclusive(conn: sa.Connection) -> bool:
    return conn.dialect.name == "sqlite"


def acquire(conn: sa.Connection, holder: str, now: dt.datetime, seconds: float) -> None:
    """Take a lease for `holder`, clearing expired ones; raise LeaseHeld on SQLite while
    another worker's lease is live. Call inside a write transaction (on SQLite `BEGIN
    IMMEDIATE` makes the check and the insert one step)."""
    conn.execute(worker_leases.delete().where(worker_leases.c.expires_at < stamp(now)))
    if exclusive(conn):
        other = conn.execute(sa.select(worker_leases).where(
            worker_leases.c.holder != holder)).first()
        if other is not None:
            raise LeaseHeld(other.holder, other.expires_at)
    conn.execute(worker_leases.delete().where(worker_leases.c.holder == holder))
    conn.execute(worker_leases.insert().values(
        holder=holder, started_at=stamp(now), expires_at=_until(now, seconds)))


def renew(conn: sa.Connection, holder: str, now: dt.datetime, seconds: float) -> bool:
    """Extend the lease; False when it is gone (it expired and another worker cleared it)."""
    done = conn.execute(worker_leases.update().where(worker_leases.c.holder == holder)
                        .values(expires_at=_until(now, seconds)))
    return done.rowcount == 1


def release(conn: sa.Connection, holder: str) -> None:
    conn.execute(worker_leases.delete().where(worker_leases.c.holder == holder))


def live(conn: sa.Connection, now: dt.datetime) -> list[dict]:
    """The workers that look alive: leases not yet expired."""
    rows = conn.execute(sa.select(worker_leases).where(worker_leases.c.expires_at >= stamp(now))
                        .order_by(worker_leases.c.started_at))
    return [dict(row._mapping) for row in rows]


def _until(now: dt.datetime, seconds: float) -> str:
    return stamp(now + dt.timedelta(seconds=seconds))
