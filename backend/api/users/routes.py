"""Staff accounts (admin only)."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend.api.base import require
from backend.api.users.schemas import UserSchema, UserUpdateSchema
from backend.auth.sessions import end_user_sessions
from backend.auth.users import UserError, create_user, get_user, list_users, update_user
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
        """All staff accounts."""
        require("admin")
        with read_transaction() as conn:
            return [_out(u) for u in list_users(conn)]

    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a staff account with its role and area scope."""
        require("admin")
        try:
            with write_transaction() as conn:
                return _out(create_user(conn, **data))
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
    def patch(self, changes, user_id):
        """Change role, scope, name, password or deactivate (which ends their sessions)."""
        require("admin")
        try:
            with write_transaction() as conn:
                found = get_user(conn, user_id=user_id)
                if found is None:
                    abort(404, message="Not found.")
                user = update_user(conn, found[0], changes)
                if changes.keys() & {"role", "scopes", "active", "password"}:
                    end_user_sessions(conn, user.id)
                return _out(user)
        except UserError as exc:
            _fail(exc)
