"""Claiming outbox rows for one send (docs/push.md, "Sending"): a short transaction that takes
the due rows and pushes their `next_attempt_at` past a lease, so no second worker takes them
while they are being sent; the sending itself happens after the commit.

On PostgreSQL the due rows are read `FOR UPDATE SKIP LOCKED` (rows another transaction holds —
a second worker's claim, the scheduler, an unsubscribe — are skipped, not waited for), and the
claims of concurrent workers take a transaction-level advisory lock first: the daily cap per
household counts what is sent and in flight, which is only right when no other claim is
half-done. The lock is held for the claim's few milliseconds, never while sending. SQLite has
one worker (backend/worker) and serialises writers anyway: the same code without either.

A claimed row stays `queued` with `attempts + 1` and `next_attempt_at` = the end of its lease;
the sender then records what became of it. A worker that dies mid-send leaves its rows to be
taken again when the lease ends (at least once; the Topic header collapses a repeat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from backend.push.outbox import iso
from backend.push.tables import push_outbox, push_subscriptions

# pg_advisory_xact_lock key of the outbox claim ("siklus push claim" as a small integer).
CLAIM_LOCK = 0x5349_4B50


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})


def _locked(query: sa.Select, conn: sa.Connection) -> sa.Select:
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def expire(conn: sa.Connection, now: dt.datetime) -> int:
    """Mark queued rows whose window has closed `expired`; how many."""
    return conn.execute(sa.update(push_outbox).where(
        push_outbox.c.status == "queued", push_outbox.c.expires_at <= iso(now),
    ).values(status="expired", last_error="its window closed before it could be sent")).rowcount


def _used_today(conn: sa.Connection, households: Iterable[str], now: dt.datetime,
                day_start: dt.datetime, next_window: dt.datetime) -> dict[str, int]:
    """Messages each household has had today (local day from `day_start`) or has in flight
    (claimed, or waiting for a retry before tomorrow's window; not one moved there by the cap)."""
    households = sorted(set(households))
    if not households:
        return {}
    c = push_outbox.c
    rows = conn.execute(sa.select(c.household_id, sa.func.count()).where(
        c.household_id.in_(households),
        sa.or_(sa.and_(c.status == "sent", c.sent_at >= iso(day_start)),
               sa.and_(c.status == "queued", c.attempts > 0, c.next_attempt_at > iso(now),
                       c.next_attempt_at < iso(next_window))),
    ).group_by(c.household_id))
    return dict(rows.all())


def _take(conn: sa.Connection, rows: list[dict], now: dt.datetime, lease_until: dt.datetime
          ) -> list[dict]:
    """Claim `rows`: attempts + 1, next attempt at the end of the lease; each with its
    subscription's endpoint and keys (None when the subscription is gone)."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    conn.execute(sa.update(push_outbox).where(push_outbox.c.id.in_(ids)).values(
        attempts=push_outbox.c.attempts + 1, next_attempt_at=iso(lease_until)))
    s = push_subscriptions.c
    subs = {row.id: {"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}}
            for row in conn.execute(sa.select(s.id, s.endpoint, s.p256dh, s.auth).where(
                s.id.in_({row["subscription_id"] for row in rows})))}
    return [{**row, "attempts": row["attempts"] + 1,
             "subscription": subs.get(row["subscription_id"])} for row in rows]


def claim_due(conn: sa.Connection, now: dt.datetime, *, limit: int, lease_until: dt.datetime,
              cap: int, day_start: dt.datetime, next_window: dt.datetime
              ) -> tuple[list[dict], int]:
    """Claim up to `limit` due rows (queued, next attempt and not-before reached, oldest
    first). A family row over its household's daily `cap` moves to `next_window` instead,
    without an attempt. (claimed rows, how many moved)."""
    _lock(conn)
    c = push_outbox.c
    due = conn.execute(_locked(sa.select(push_outbox).where(
        c.status == "queued", c.next_attempt_at <= iso(now), c.not_before <= iso(now),
        c.expires_at > iso(now),
    ).order_by(c.next_attempt_at, c.id).limit(limit), conn)).mappings().all()
    used = _used_today(conn, (r["household_id"] for r in due
                              if r["kind"] == "family" and r["household_id"]),
                       now, day_start, next_window)
    taken, deferred = [], []
    for row in due:
        household = row["household_id"] if row["kind"] == "family" else None
        if household is not None:
            if used.get(household, 0) >= cap:
                deferred.append(row["id"])
                continue
            used[household] = used.get(household, 0) + 1
        taken.append(dict(row))
    if deferred:
        conn.execute(sa.update(push_outbox).where(c.id.in_(deferred)).values(
            next_attempt_at=iso(next_window)))
    return _take(conn, taken, now, lease_until), len(deferred)


def claim_ids(conn: sa.Connection, ids: Iterable[int], now: dt.datetime,
              lease_until: dt.datetime) -> list[dict]:
    """Claim the named rows if still queued, not expired and not in flight elsewhere, whatever
    their time, window or cap (the admin's test push)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    _lock(conn)
    c = push_outbox.c
    rows = conn.execute(_locked(sa.select(push_outbox).where(
        c.id.in_(ids), c.status == "queued", c.expires_at > iso(now),
        sa.or_(c.attempts == 0, c.next_attempt_at <= iso(now))), conn)).mappings().all()
    return _take(conn, [dict(row) for row in rows], now, lease_until)
