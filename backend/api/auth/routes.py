"""Login, logout and the current user."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend.api.auth.schemas import LoginSchema, MeSchema
from backend.api.base import require
from backend.auth import sessions
from backend.auth.login import check_password
from backend.auth.users import User
from backend.db import write_transaction

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Login sessions")


def _me(user: User, csrf: str | None) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "role_label": user.role_info.label, "cluster": user.cluster,
            "scopes": sorted(user.scopes), "writes": sorted(user.role_info.writes),
            "replicates": user.role_info.reads_records,
            "push_invite_days": current_app.config["PUSH_INVITE_DAYS"],
            "csrf_token": csrf}


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="Name or password is incorrect, or the account is "
                                       "inactive (one answer for all three).")
    @blp.alt_response(429, description="Too many failed logins for this account or from this "
                                       "address; the Retry-After header says when to retry.")
    def post(self, creds):
        """Log in: sets the HttpOnly session cookie and returns the user with a CSRF token.

        Failed logins are limited per account and address, per address and per account
        (429 with Retry-After; see docs/security.md)."""
        user = check_password(creds["username"], creds["password"], "password").user
        if user is None:
            abort(401, message="Name or password is incorrect.")
        lifetime = dt.timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
        with write_transaction() as conn:
            token, csrf = sessions.start_session(conn, user.id, lifetime)
        g.new_session = (token, lifetime)
        return _me(user, csrf)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """End this session and clear the cookie."""
        require()
        if g.get("session_token"):
            with write_transaction() as conn:
                sessions.end_session(conn, g.session_token)
        g.clear_session = True


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """The logged-in user, their role, area scope and CSRF token."""
        return _me(require(), g.get("csrf_token"))


@blp.after_app_request
def _session_cookie(response):
    # Popped, not read: `g` outlives the request when the caller holds an app context open
    # (tests, CLI), and a cookie must never leak into another response.
    name = current_app.config["SESSION_COOKIE_NAME"]
    new_session, clear_session = g.pop("new_session", None), g.pop("clear_session", False)
    if new_session:
        token, lifetime = new_session
        response.set_cookie(name, token, max_age=int(lifetime.total_seconds()), httponly=True,
                            samesite="Lax", secure=request.is_secure, path="/")
    elif clear_session:
        response.delete_cookie(name, path="/", httponly=True, samesite="Lax")
    return response
