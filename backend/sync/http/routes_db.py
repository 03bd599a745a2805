"""Database-level endpoints: server and db info, _revs_diff, _bulk_docs, _bulk_get."""

from __future__ import annotations

import uuid

from flask import Response, current_app

from backend.db import read_transaction
from backend.sync import reads
from backend.sync.http.blueprint import bp, json_response, sync_access
from backend.sync.http.params import bad_request, check_rev, json_body, read_options
from backend.sync.http.writes import write, write_one
from backend.sync.prepare import DocError

# Shown as `version`: PouchDB and the couchdb package only check that it looks like CouchDB 2+.
COUCHDB_VERSION = "3.3.3"


@bp.get("/")
def server_info():
    with read_transaction() as conn:
        server_uuid = reads.server_uuid(conn)
    # The uuid goes into PouchDB's replication id: it must never change for this server.
    return json_response({"couchdb": "Welcome", "uuid": server_uuid, "version": COUCHDB_VERSION,
                          "vendor": {"name": "Siklus", "version": "1"}, "features": []})


# PouchDB asks `<db>/` (trailing slash) and the couchdb package `<db>`: serve both, no redirect.
@bp.get("/<db>")
@bp.get("/<db>/")
def db_info(db: str):
    """O(1): PouchDB calls it after every replicated batch."""
    with read_transaction() as conn:
        return json_response(reads.info(conn, db))


@bp.put("/<db>")
@bp.put("/<db>/")
def create_db(db: str):
    """The one database always exists; PouchDB's setup treats 412 as 'already there'."""
    raise DocError("file_exists", "The database could not be created, the file already exists.",
                   412)


@bp.post("/<db>")
@bp.post("/<db>/")
def post_doc(db: str):
    """Create a document with a server-chosen id (`<type>:<uuid>`)."""
    doc = json_body(dict)
    doc.setdefault("_id", f"{doc.get('type')}:{uuid.uuid4()}")
    return json_response(write_one(doc, new_edits=True), 201)


@bp.post("/<db>/_ensure_full_commit")
def ensure_full_commit(db: str):
    """Every write commits before it answers; CouchDB replicators still call this."""
    return json_response({"ok": True, "instance_start_time": "0"}, 201)


@bp.post("/<db>/_revs_diff")
def revs_diff(db: str):
    request_body = json_body(dict)
    for doc_id, revs in request_body.items():
        if not isinstance(revs, list) or not all(isinstance(r, str) for r in revs):
            raise bad_request(f"Revisions of {doc_id!r} must be a list of strings")
        for rev in revs:
            check_rev(rev)
    _check_size(list(request_body))
    with read_transaction() as conn:
        return json_response(reads.revs_diff(conn, request_body, sync_access().sees))


@bp.post("/<db>/_bulk_docs")
def bulk_docs(db: str):
    body = json_body(dict)
    docs, new_edits = body.get("docs"), body.get("new_edits", True)
    if not isinstance(docs, list):
        raise bad_request("POST body must include `docs` parameter.")
    if not isinstance(new_edits, bool):
        raise bad_request("`new_edits` parameter must be a boolean.")
    _check_size(docs)
    results = write(docs, new_edits)
    if not new_edits:
        # CouchDB answers a replicated batch with its failures only.
        results = [r for r in results if "error" in r]
    return json_response(results, 201)


@bp.post("/<db>/_bulk_get")
def bulk_get(db: str):
    docs = json_body(dict).get("docs")
    if not isinstance(docs, list) or not all(
            isinstance(d, dict) and isinstance(d.get("id"), str)
            and isinstance(d.get("rev", ""), str) for d in docs):
        raise bad_request("`docs` must be a list of {id, rev} objects")
    _check_size(docs)
    with read_transaction() as conn:
        results = reads.bulk_get_json(conn, docs, read_options(), sync_access().sees)
    return Response(f'{{"results":{results}}}', mimetype="application/json")


def _check_size(docs: list) -> None:
    """One request may not ask for unbounded work; PouchDB sends batch_size at a time."""
    limit = current_app.config["BULK_MAX_DOCS"]
    if len(docs) > limit:
        raise DocError("too_large", f"At most {limit} documents per request", 413)
