"""One document: GET (with rev, revs, open_revs, latest, conflicts, attachments), PUT,
DELETE, and GET of one attachment.

A document outside the caller's area answers 404 `not_found`, exactly like one that does
not exist, so ids cannot be probed for existence.
"""

from __future__ import annotations

import json

from flask import Response, request

from backend import jsontext
from backend.db import read_transaction
from backend.sync import reads
from backend.sync.http.blueprint import bp, json_response, sync_access
from backend.sync.http.params import (
    bad_request,
    check_rev,
    flag,
    json_arg,
    json_body,
    read_options,
)
from backend.sync.http.writes import write_one
from backend.sync.prepare import ATTACHMENT_TYPES, DocError


def _visible_row(conn, doc_id: str) -> reads.DocRow:
    """The document with its leaf bodies (reads.load_docs), if the caller may see it."""
    if doc_id.startswith("_"):
        raise reads.not_found(f"{ascii(doc_id)[1:80]} is not served by Siklus")
    if jsontext.text_fault(doc_id) or jsontext.has_control(doc_id):
        raise reads.not_found("missing")  # no such id can exist; the database cannot hold it
    row = reads.load_docs(conn, [doc_id]).get(doc_id)
    if row is None or not sync_access().sees(row.scope):
        raise reads.not_found("missing")
    return row


@bp.get("/<db>/<doc_id>")
def get_doc(db: str, doc_id: str):
    wanted = _open_revs_arg()
    opts = read_options()
    with read_transaction() as conn:
        row = _visible_row(conn, doc_id)
        if wanted is not None:
            text = reads.open_revs_json(conn, row, wanted, opts)
        else:
            text = reads.get_doc_json(conn, row, request.args.get("rev"), opts)
    return Response(text, mimetype="application/json")


def _open_revs_arg() -> list[str] | str | None:
    if request.args.get("open_revs") == "all":
        return "all"
    wanted = json_arg("open_revs")
    if wanted is not None and (not isinstance(wanted, list)
                               or not all(isinstance(r, str) for r in wanted)):
        raise bad_request("open_revs must be \"all\" or a JSON list of revisions")
    for rev in wanted or ():
        check_rev(rev)
    return wanted


@bp.put("/<db>/<doc_id>")
def put_doc(db: str, doc_id: str):
    doc = json_body(dict)
    if doc.setdefault("_id", doc_id) != doc_id:
        raise bad_request("Document id in the body must match the URL")
    if "rev" in request.args:
        doc.setdefault("_rev", request.args["rev"])
    return json_response(write_one(doc, new_edits=flag("new_edits", True)), 201)


@bp.delete("/<db>/<doc_id>")
def delete_doc(db: str, doc_id: str):
    rev = request.args.get("rev")
    if rev is None:
        raise DocError("conflict", "Document update conflict.", 409)  # as CouchDB answers
    check_rev(rev)
    result = write_one({"_id": doc_id, "_rev": rev, "_deleted": True}, new_edits=True)
    return json_response(result, 200)


@bp.get("/<db>/<doc_id>/<path:name>")
def get_attachment(db: str, doc_id: str, name: str):
    with read_transaction() as conn:
        row = _visible_row(conn, doc_id)
        doc = json.loads(reads.get_doc_json(conn, row, request.args.get("rev"),
                                            reads.ReadOptions()))
        stub = (doc.get("_attachments") or {}).get(name)
        if stub is None:
            raise reads.not_found("Document is missing attachment")
        data = reads.attachment_data(conn, doc_id, stub["digest"])
    # Stored before types were checked, an attachment may claim anything: serve only known
    # types as themselves, and never let the browser guess (nosniff).
    content_type = stub.get("content_type")
    if content_type not in ATTACHMENT_TYPES:
        content_type = "application/octet-stream"
    response = Response(data, mimetype=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-MD5"] = stub["digest"].removeprefix("md5-")
    return response
