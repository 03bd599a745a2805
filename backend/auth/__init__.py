"""Who is calling: the session cookie (browsers, the PWA) or HTTP Basic (service accounts).

Every request resolves `g.user` before any view runs. Cookie-authenticated writes must echo
the session's CSRF token in `X-CSRF-Token`; Basic-authenticated calls carry no ambient
credential a foreign page could ride on, so they need none.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, request

from backend.auth.basic import user_from_basic
from backend.auth.login import retry_after_header
from backend.auth.sessions import csrf_matches, find_session
from backend.auth.users import User
from backend.db import read_transaction

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "X-CSRF-Token"
CSRF_EXEMPT = {"/api/v1/auth/login"}


def _from_basic() -> User | None:
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username:
        return None
    g.auth_method = "basic"
    return user_from_basic(auth)


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
    app.after_request(retry_after_header)
