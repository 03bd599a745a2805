"""Checking a name and password, rate-limited and audited: shared by the JSON login and Basic.

Argon2 runs outside any transaction: on SQLite a write transaction holds the database's one
write lock, and replication batches must not queue behind a password hash.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app, g, request

from backend import audit
from backend.auth import throttle
from backend.auth.passwords import verify_password
from backend.auth.users import User, get_user
from backend.db import write_transaction


@dataclass(frozen=True)
class Outcome:
    user: User | None                 # set only when the password was right and the user active
    password_hash: str | None = None  # the hash it was checked against (Basic's cache stamp)


def check_password(username: str, password: str, method: str) -> Outcome:
    """Verify a login attempt. Answers 429 (with Retry-After) when it is locked out."""
    limits = throttle.Limits.from_config(current_app.config)
    with write_transaction() as conn:
        ticket = throttle.reserve(conn, limits, username, request.remote_addr)
        found = None if ticket.retry_after else get_user(conn, username=username)
    if ticket.retry_after:
        too_many_attempts(ticket.retry_after)
    ok = verify_password(found[1] if found else None, password) and found[0].active
    with write_transaction() as conn:
        if ok:
            throttle.refund(conn, ticket)
            if method == "password":  # Basic re-verifies per cache miss: not a login event
                _audit(conn, "login.success", found[0], username, method)
            return Outcome(found[0], found[1])
        _audit(conn, "login.failure", None, username, method, user=found and found[0])
        wait = throttle.locked_for(conn, limits, ticket.username, ticket.address)
        if wait is not None:  # this failure started a lock-out
            _audit(conn, "login.locked", None, username, method, user=found and found[0],
                   retry_after=wait)
    return Outcome(None)


def _audit(conn: sa.Connection, action: str, actor: User | None, username: str, method: str,
           user: User | None = None, **detail) -> None:
    target = actor or user
    audit.record(conn, actor=actor, action=action, target_type="user",
                 target_id=str(target.id) if target else "-",
                 detail={"username": username[:64], "method": method, **detail})


def too_many_attempts(retry_after: int) -> None:
    """Abort 429; `retry_after_header` (an after-request hook) adds the Retry-After header."""
    g.retry_after = retry_after
    abort(429, "Too many failed logins; try again later.")


def retry_after_header(response):
    retry_after = g.pop("retry_after", None)
    if retry_after is not None and response.status_code == 429:
        response.headers["Retry-After"] = str(retry_after)
    return response
