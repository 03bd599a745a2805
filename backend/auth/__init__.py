"""Who is calling: the session cookie (browsers, the PWA) or HTTP Basic (service accounts).

Every request resolves `g.user` before any view runs. Cookie-authenticated writes must echo
the session's CSRF token in `X-CSRF-Token`; Basic-authenticated calls carry no ambient
credential a foreign page could ride on, so they need none.
"""

from __future__ import annotations

import hashlib
import threading
import time

from flask import Flask, abort, current_app, g, request

from backend.auth.passwords import verify_password
from backend.auth.sessions import csrf_matches, find_session
from backend.auth.users import User, get_user
from backend.db import read_transaction

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "X-CSRF-Token"
CSRF_EXEMPT = {"/api/v1/auth/login"}


class _BasicCache:
    """Argon2 is slow on purpose; a replicating service account would pay it per request."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[int, float]] = {}

    def get(self, username: str, password: str) -> int | None:
        key = (username, hashlib.sha256(password.encode()).hexdigest())
        with self._lock:
            hit = self._entries.get(key)
            return hit[0] if hit and hit[1] > time.monotonic() else None

    def put(self, username: str, password: str, user_id: int, ttl: float) -> None:
        key = (username, hashlib.sha256(password.encode()).hexdigest())
        with self._lock:
            if len(self._entries) > 1000:
                self._entries.clear()
            self._entries[key] = (user_id, time.monotonic() + ttl)


_basic_cache = _BasicCache()


def _from_basic() -> User | None:
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username:
        return None
    username, password = auth.username, auth.password or ""
    with read_transaction() as conn:
        cached = _basic_cache.get(username, password)
        found = get_user(conn, user_id=cached) if cached else get_user(conn, username=username)
    if found is None or not found[0].active:
        abort(401, "Name or password is incorrect.")
    user, password_hash = found
    if cached is None:
        if not verify_password(password_hash, password):
            abort(401, "Name or password is incorrect.")
        _basic_cache.put(username, password, user.id,
                         current_app.config["BASIC_AUTH_CACHE_SECONDS"])
    g.auth_method = "basic"
    return user


def _from_cookie() -> User | None:
    token = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    if not token:
        return None
    with read_transaction() as conn:
        found = find_session(conn, token)
    if found is None or not found[0].active:
        return None
    g.auth_method, g.csrf_token, g.session_token = "cookie", found[1], token
    return found[0]


def load_user() -> None:
    g.user, g.auth_method, g.csrf_token, g.session_token = None, None, None, None
    if request.routing_exception is not None or request.endpoint == "static":
        return  # 404/405 answer before any credential is looked at
    g.user = _from_basic() if request.authorization else _from_cookie()
    if (g.auth_method == "cookie" and request.method in UNSAFE_METHODS
            and request.path not in CSRF_EXEMPT
            and not csrf_matches(g.csrf_token, request.headers.get(CSRF_HEADER))):
        abort(403, "Missing or wrong X-CSRF-Token header for this session.")


def current_user() -> User | None:
    return g.get("user")


def init_app(app: Flask) -> None:
    app.before_request(load_user)
