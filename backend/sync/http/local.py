"""`_local/<id>`: PouchDB's replication checkpoints, kept apart per user (local_docs.py)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from backend import jsontext
from backend.db import read_transaction, write_transaction
from backend.sync import local_docs
from backend.sync.http.blueprint import bp, json_response, sync_access
from backend.sync.http.params import json_body
from backend.sync.prepare import DocError


def _key(local_id: str) -> str:
    return local_docs.key(f"u{sync_access().user.id}", local_id)


@bp.get("/<db>/_local/<path:local_id>")
def get_local(db: str, local_id: str):
    with read_transaction() as conn:
        found = local_docs.get(conn, _key(local_id))
    if found is None:
        raise DocError("not_found", "missing", 404)  # PouchDB expects 404 the first time
    rev, body = found
    return json_response({"_id": f"_local/{local_id}", "_rev": f"0-{rev}", **body})


@bp.put("/<db>/_local/<path:local_id>")
def put_local(db: str, local_id: str):
    doc = json_body(dict)
    fault = jsontext.text_fault(doc)
    if fault:
        raise DocError("bad_request", f"Invalid checkpoint: {ascii(fault)[1:-1]}", 400)
    if "rev" in request.args:
        doc.setdefault("_rev", request.args["rev"])
    try:
        with write_transaction() as conn:
            rev = local_docs.put(conn, _key(local_id), doc)
    except sa.exc.IntegrityError:
        # Two first writes raced; the loser learns it as CouchDB would tell it.
        raise DocError("conflict", "Document update conflict.", 409) from None
    return json_response({"ok": True, "id": f"_local/{local_id}", "rev": f"0-{rev}"}, 201)


@bp.delete("/<db>/_local/<path:local_id>")
def delete_local(db: str, local_id: str):
    with write_transaction() as conn:
        local_docs.delete(conn, _key(local_id), request.args.get("rev"))
    return json_response({"ok": True, "id": f"_local/{local_id}", "rev": "0-0"})
