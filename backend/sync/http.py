"""CouchDB replication endpoints (server info for now; the full surface lands with issue 3)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from backend.db import read_transaction
from backend.sync import reads

bp = Blueprint("sync", __name__, url_prefix="/sync")


@bp.get("/")
def server_info():
    with read_transaction() as conn:
        uuid = reads.server_uuid(conn)
    return jsonify(couchdb="Welcome", uuid=uuid, version="3.3.3",
                   vendor={"name": "Siklus", "version": "1"}, features=[])
