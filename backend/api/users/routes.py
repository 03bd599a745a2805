"""Staff accounts (admin only): create, list, read, and change role, cluster, area, name,
status or password. Every change is audited; see backend/auth/accounts.py for the rules."""

from __future__ import annotations

from dataclasses import asdict

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend.api.base import require
from backend.api.users.schemas import UserSchema, UserUpdateSchema
from backend.auth.accounts import change_account, create_account
from backend.auth.users import UserError, get_user, list_users
from backend.db import read_transaction, write_transaction

blp = Blueprint("users", __name__, url_prefix="/users", description="Staff accounts")


def _out(user) -> dict:
    return asdict(user) | {"scopes": sorted(user.scopes)}


def _fail(exc: UserError):
    abort(exc.status, message=f"{exc.field}: {exc.message}",
          errors={"json": {exc.field: [exc.message]}})


@blp.route("")
class Users(MethodView):
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """All staff accounts, active or not, by username."""
        require("admin")
        with read_transaction() as conn:
            return [_out(u) for u in list_users(conn)]

    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(409, description="The username is taken.")
    def post(self, data):
        """Create a staff account with its role and area (422 names the field at fault)."""
        admin = require("admin")
        try:
            with write_transaction() as conn:
                return _out(create_account(conn, admin, {"scopes": [], **data}))
        except UserError as exc:
            _fail(exc)


@blp.route("/<int:user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """One staff account."""
        require("admin")
        with read_transaction() as conn:
            found = get_user(conn, user_id=user_id)
        if found is None:
            abort(404, message="Not found.")
        return _out(found[0])

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(404, description="No such user.")
    @blp.alt_response(409, description="Would leave no active admin, or an admin would "
                                       "deactivate or demote itself.")
    def patch(self, changes, user_id):
        """Change name, role, cluster, area, status (active) or reset the password.

        A change of role, area, status or password ends the user's sessions."""
        admin = require("admin")
        try:
            with write_transaction() as conn:
                return _out(change_account(conn, admin, user_id, changes,
                                           keep_session=g.get("session_token")))
        except UserError as exc:
            _fail(exc)
