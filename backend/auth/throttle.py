"""Failed-login counting: per (account, address), per address and per account, sliding windows.

The design and its trade-off (guessing rate against locking a midwife out) are in
docs/security.md, "Authentication and login protection". In short: every attempt is counted
*before* the password is checked and refunded when it was right, so parallel requests cannot
slip extra guesses past a limit; a lock lasts only until enough failures leave the window.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from backend import clock
from backend.auth.tables import login_failures

# Key parts are cut to this length: Basic auth names are unbounded and an address taken from
# X-Forwarded-For is whatever the client wrote; the key column holds 200 characters.
_PART = 64


@dataclass(frozen=True)
class Limits:
    per_pair: int       # one account from one address: the targeted guess
    per_address: int    # one address over all accounts: password spraying
    per_account: int    # one account from all addresses: distributed guessing
    window_s: int

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Limits:
        return cls(config["LOGIN_RATE_LIMIT"], config["LOGIN_ADDRESS_LIMIT"],
                   config["LOGIN_ACCOUNT_LIMIT"], config["LOGIN_RATE_WINDOW_SECONDS"])


@dataclass
class Ticket:
    """One login attempt, already counted as a failure until `refund` says otherwise."""

    username: str
    address: str
    retry_after: int | None = None          # set: refused unchecked, try again in N seconds
    row_ids: list[int] = field(default_factory=list)


def _now() -> dt.datetime:
    return clock.utc_now()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite: naive UTC


def _keys(limits: Limits, username: str, address: str) -> list[tuple[str, int]]:
    return [(f"pair:{username}|{address}", limits.per_pair),
            (f"addr:{address}", limits.per_address),
            (f"user:{username}", limits.per_account)]


def key_locked_for(conn: sa.Connection, key: str, limit: int, window_s: int,
                   now: dt.datetime) -> int | None:
    """Seconds until one more failure counted under `key` is allowed, or None: `limit`
    failures within the sliding window of `window_s` seconds lock it (also the family page's
    wrong tokens, backend/push/invites.py)."""
    window = dt.timedelta(seconds=window_s)
    newest = conn.execute(
        sa.select(login_failures.c.at).where(login_failures.c.key == key,
                                             login_failures.c.at > now - window)
        .order_by(login_failures.c.at.desc()).limit(limit)).scalars().all()
    if len(newest) < limit:
        return None
    # The lock lifts when the limit-th newest failure leaves the window.
    return max(1, math.ceil((_aware(newest[-1]) + window - now).total_seconds()))


def locked_for(conn: sa.Connection, limits: Limits, username: str, address: str,
               now: dt.datetime | None = None) -> int | None:
    """Seconds until an attempt for `username` from `address` is allowed again, or None."""
    now = now or _now()
    waits = [wait for key, limit in _keys(limits, username, address)
             if (wait := key_locked_for(conn, key, limit, limits.window_s, now)) is not None]
    return max(waits) if waits else None


def reserve(conn: sa.Connection, limits: Limits, username: str, address: str | None) -> Ticket:
    """Count an attempt as failed before its password is checked; refuse it when locked."""
    ticket = Ticket(username.lower()[:_PART], (address or "-")[:_PART])
    now = _now()
    ticket.retry_after = locked_for(conn, limits, ticket.username, ticket.address, now)
    if ticket.retry_after is not None:
        return ticket  # refused attempts write nothing: hammering a lock costs us no disk
    conn.execute(login_failures.delete().where(
        login_failures.c.at < now - dt.timedelta(seconds=limits.window_s)))
    for key, _limit in _keys(limits, ticket.username, ticket.address):
        ticket.row_ids.append(conn.execute(login_failures.insert().values(key=key, at=now))
                              .inserted_primary_key[0])
    return ticket


def refund(conn: sa.Connection, ticket: Ticket) -> None:
    """The password was right: the attempt and earlier failures of this account from this
    address no longer count (failures from elsewhere, or on other accounts, still do)."""
    pair = f"pair:{ticket.username}|{ticket.address}"
    conn.execute(login_failures.delete().where(sa.or_(login_failures.c.id.in_(ticket.row_ids),
                                                      login_failures.c.key == pair)))
