"""The /sync blueprint, its guard (who is calling, which database) and its error shape.

Every route under /sync/<db> passes the guard first: an anonymous caller gets 401
`unauthorized` (checked before the database name, so the name leaks nothing), a role that
never sees records (dinkes) gets 403, any database but SYNC_DB_NAME gets 404. Errors are
CouchDB's `{"error","reason"}`: PouchDB reads `error` as the error name and decides on it
whether to go on (see backend/sync/prepare.py).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, g, request

from backend.auth import current_user
from backend.errors import couch_error
from backend.jsontext import dumps
from backend.sync import access
from backend.sync.prepare import DocError

bp = Blueprint("sync", __name__, url_prefix="/sync")


def json_response(body: object, status: int = 200) -> Response:
    """Compact JSON, keys in document order (Flask's jsonify would sort every key)."""
    text = dumps(body)
    try:
        data = text.encode()
    except UnicodeEncodeError:
        # A refused document's id echoed back with a lone surrogate: \u-escaped, it is the same
        # JavaScript string the device sent, so PouchDB matches the result to its document.
        data = json.dumps(body, separators=(",", ":")).encode()
    return Response(data, status=status, mimetype="application/json")


def sync_access() -> access.Access:
    return g.sync_access


@bp.before_request
def _guard() -> None:
    db = (request.view_args or {}).get("db")
    if db is None:
        return  # GET /sync/ (server info) is public, as CouchDB's welcome is
    user = current_user()
    if user is None:
        abort(401, "You are not authorized to access this db; log in or use HTTP Basic.")
    found = access.for_user(user, g.get("auth_method"),
                            current_app.config["DEVICE_ENCOUNTER_WINDOW_MONTHS"])
    if found is None:
        abort(403, f"Role '{user.role}' sees aggregates only; it does not replicate records.")
    if db != current_app.config["SYNC_DB_NAME"]:
        abort(404, "Database does not exist.")
    g.sync_access = found


@bp.errorhandler(DocError)
def _doc_error(exc: DocError) -> Response:
    return couch_error(exc.status, exc.reason, exc.error)
