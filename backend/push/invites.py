"""The family's QR token (docs/push.md, "Family subscription and consent"): which invite a token
opens, and how many wrong tokens one address may try.

The tablet draws 32 random bytes, writes them base64url (43 characters) into the QR's URL
fragment, and stores only the SHA-256 of those 43 characters in the `subscription_invite`
document. The server finds the invite by that hash (projection `subscription_invites`); the
token itself is never stored nor logged (it travels in a POST body, never in a URL the server
sees).

Refusals are one of four, each with its own status, and say nothing about a household:
unknown (a forged token and one never shown get the same 404), revoked and expired (410),
already used (409). Every refusal counts against the caller's address in `login_failures`
(key `invite:<address>`, the login throttle's table and window, docs/security.md); past
LOGIN_ADDRESS_LIMIT failures in LOGIN_RATE_WINDOW_SECONDS the address waits (429).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

import sqlalchemy as sa

from backend.auth import throttle
from backend.auth.tables import login_failures
from backend.projections.tables import subscription_invites

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}\Z")   # 32 bytes, base64url without padding
_ADDRESS = 64


class InviteRefused(Exception):
    """A token that opens nothing; `status` and `message` are the API's answer."""

    def __init__(self, status: int, message: str, reason: str):
        super().__init__(message)
        self.status, self.message, self.reason = status, message, reason


UNKNOWN = (404, "This QR code is not known. Ask the kader or bidan to show a new one.", "unknown")
REVOKED = (410, "This QR code was withdrawn. Ask the kader or bidan to show a new one.",
           "revoked")
EXPIRED = (410, "This QR code has expired. Ask the kader or bidan to show a new one.",
           "expired")
USED = (409, "This QR code has already been used. Ask the kader or bidan to show a new one.",
        "used")


def digest(secret: str) -> str:
    """SHA-256 hex of a token (or a family key) as its text: what documents and rows hold."""
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def _at(value: str) -> dt.datetime:
    stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def open_invite(conn: sa.Connection, token: object, now: dt.datetime) -> sa.Row:
    """The `subscription_invites` row the token opens now, or InviteRefused."""
    if not isinstance(token, str) or not TOKEN.match(token):
        raise InviteRefused(*UNKNOWN)
    row = conn.execute(sa.select(subscription_invites).where(
        subscription_invites.c.token_hash == digest(token))).first()
    if row is None:
        raise InviteRefused(*UNKNOWN)
    if row.revoked_at:
        raise InviteRefused(*REVOKED)
    if row.used_at:
        raise InviteRefused(*USED)
    if _at(row.expires_at) <= now:
        raise InviteRefused(*EXPIRED)
    return row


@dataclass(frozen=True)
class Guard:
    """Wrong tokens (or family keys) allowed from one address within the window."""

    limit: int
    window_s: int

    @classmethod
    def from_config(cls, config: dict) -> Guard:
        return cls(config["LOGIN_ADDRESS_LIMIT"], config["LOGIN_RATE_WINDOW_SECONDS"])


def _key(address: str | None) -> str:
    return f"invite:{(address or '-')[:_ADDRESS]}"


class Throttled(Exception):
    """Too many wrong tokens from this address: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def reserve(conn: sa.Connection, guard: Guard, address: str | None, now: dt.datetime) -> int:
    """Count this attempt as a failure before the token is checked (parallel requests cannot
    slip past the limit): the row id to `refund` when it succeeds. Throttled when the address
    is locked out (then nothing is written)."""
    key, window = _key(address), dt.timedelta(seconds=guard.window_s)
    wait = throttle.key_locked_for(conn, key, guard.limit, guard.window_s, now)
    if wait is not None:
        raise Throttled(wait)
    conn.execute(login_failures.delete().where(login_failures.c.at < now - window))
    return conn.execute(login_failures.insert().values(key=key, at=now)).inserted_primary_key[0]


def refund(conn: sa.Connection, row_id: int) -> None:
    """The attempt succeeded: it was not a guess."""
    conn.execute(login_failures.delete().where(login_failures.c.id == row_id))
