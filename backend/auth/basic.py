"""HTTP Basic for service accounts and tools, with a verified-credential cache.

Argon2 is slow on purpose, and a replicator sends several requests per batch, so a verified
credential is remembered in-process. An entry is only honoured while the user row still holds
the password hash it was verified against: every request reads that row anyway, so a password
change (even in another gunicorn worker, or from the CLI) ends the old password at once.
Deactivation, role and area changes need nothing here: they are read from the same row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from flask import abort, current_app
from werkzeug.datastructures import Authorization

from backend.auth.login import check_password
from backend.auth.users import User, get_user
from backend.db import read_transaction


class CredentialCache:
    """(name, password) → the password hash it was verified against, for `ttl` seconds of
    disuse. Keys are keyed hashes with a per-process secret, never the password itself."""

    def __init__(self, max_entries: int = 1000):
        self._lock = threading.Lock()
        self._secret = secrets.token_bytes(32)
        self._entries: dict[bytes, tuple[str, float]] = {}
        self._max = max_entries

    def _key(self, username: str, password: str) -> bytes:
        message = username.encode() + b"\0" + password.encode()
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def hit(self, username: str, password: str, stored_hash: str, ttl: float) -> bool:
        key, now = self._key(username, password), time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] <= now or entry[0] != stored_hash:
                return False
            self._entries[key] = (stored_hash, now + ttl)  # a busy replicator stays verified
            return True

    def put(self, username: str, password: str, stored_hash: str, ttl: float) -> None:
        key = self._key(username, password)
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[key] = (stored_hash, time.monotonic() + ttl)


_cache = CredentialCache()


def user_from_basic(auth: Authorization) -> User:
    """The user these credentials name; 401 when wrong, 429 when locked out."""
    username, password = auth.username or "", auth.password or ""
    ttl = current_app.config["BASIC_AUTH_CACHE_SECONDS"]
    with read_transaction() as conn:
        found = get_user(conn, username=username)
    if found and found[0].active and _cache.hit(username, password, found[1], ttl):
        return found[0]
    outcome = check_password(username, password, "basic")
    if outcome.user is None:
        abort(401, "Name or password is incorrect.")
    _cache.put(username, password, outcome.password_hash, ttl)
    return outcome.user
