"""Login sessions: server-side, the cookie holds a random token (rate limiting: throttle.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa

from backend.auth.tables import sessions, users
from backend.auth.users import USER_ROWS, User, user_from_row


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def start_session(conn: sa.Connection, user_id: int, lifetime: dt.timedelta) -> tuple[str, str]:
    """Returns (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    conn.execute(sessions.insert().values(token_hash=_digest(token), user_id=user_id,
                                          csrf_token=csrf, created_at=now,
                                          expires_at=now + lifetime))
    return token, csrf


def find_session(conn: sa.Connection, token: str) -> tuple[User, str] | None:
    """(user, CSRF token) of a live session, or None: one query."""
    row = conn.execute(_BY_TOKEN, {"token_hash": _digest(token)}).first()
    if row is None or _aware(row.expires_at) <= _now():
        return None
    return user_from_row(row), row.csrf_token


_BY_TOKEN = (USER_ROWS.add_columns(sessions.c.csrf_token, sessions.c.expires_at)
             .join_from(users, sessions, sessions.c.user_id == users.c.id)
             .where(sessions.c.token_hash == sa.bindparam("token_hash")))


def end_session(conn: sa.Connection, token: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token_hash == _digest(token)))


def end_user_sessions(conn: sa.Connection, user_id: int, keep: str | None = None) -> int:
    """End every session of a user (but the one whose token is `keep`); how many ended."""
    stmt = sessions.delete().where(sessions.c.user_id == user_id)
    if keep:
        stmt = stmt.where(sessions.c.token_hash != _digest(keep))
    return conn.execute(stmt).rowcount


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given)
