"""A revision as CouchDB serves it, written as JSON text around its stored body.

Bodies are stored as the JSON text of an object without revision meta fields (see
store.py), so serving one needs no parsing and re-encoding: `_id` and `_rev` are written
before its members and `_deleted`, `_revisions`, `_conflicts` after them, in the order
CouchDB uses. Replication reads thousands of revisions per minute, and decoding and
re-encoding every body was most of their cost. Only inlining attachments parses a body.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from json.encoder import encode_basestring  # json.dumps(text, ensure_ascii=False), in C

import sqlalchemy as sa

from backend.jsontext import dumps
from backend.sync import revtree
from backend.sync.prepare import DocError
from backend.sync.tables import attachments


@dataclass
class ReadOptions:
    revs: bool = False
    conflicts: bool = False
    attachments: bool = False
    latest: bool = False


def not_found(reason: str = "missing") -> DocError:
    return DocError("not_found", reason, status=404)


def quote(text: str) -> str:
    """A JSON string, non-ASCII characters kept as they are (as our bodies are stored)."""
    return encode_basestring(text)


_raw_decode = json.JSONDecoder().raw_decode


def parse_tree(text: str) -> revtree.Tree:
    """A stored revision tree: json.loads without the whitespace checks it wraps around the
    decoder (the store writes compact JSON), which cost as much as decoding a small tree."""
    return _raw_decode(text)[0]


def members(body: str) -> str:
    """The members of a JSON object's text, without braces: '' for an empty object."""
    if body[:1] != "{" or body[-1:] != "}":
        body = body.strip()
    inner = body[1:-1]
    return "" if inner.isspace() else inner


def revision(conn: sa.Connection, doc_id: str, tree: revtree.Tree, winner: str, rev: str,
             body: str, opts: ReadOptions) -> str:
    """One stored revision of a document as CouchDB's JSON: `_id`, `_rev`, the body's members,
    then `_deleted` for a tombstone and `_revisions` / `_conflicts` when asked."""
    if opts.attachments and '"_attachments"' in body:
        body = _inline_attachments(conn, doc_id, body)
    parts = [f'{{"_id":{quote(doc_id)},"_rev":{quote(rev)}']
    inner = members(body)
    if inner:
        parts.append(inner)
    if tree.get(rev, _NOT_DELETED)[1]:
        parts.append('"_deleted":true')
    if opts.revs:
        parts.append('"_revisions":' + revisions(tree, rev))
    if opts.conflicts and rev == winner:
        found = revtree.conflicts(tree)
        if found:
            parts.append('"_conflicts":' + dumps(found))
    return ",".join(parts) + "}"


_NOT_DELETED = (None, False)


def revisions(tree: revtree.Tree, rev: str) -> str:
    """`_revisions` ({start, ids}, newest first) of a revision in the tree, as JSON text.
    Tree keys were validated by revtree.parse_rev when they were written."""
    ids = [quote(item.partition("-")[2]) for item in revtree.ancestry(tree, rev)]
    return f'{{"start":{int(rev.partition("-")[0])},"ids":[{",".join(ids)}]}}'


def _inline_attachments(conn: sa.Connection, doc_id: str, body: str) -> str:
    doc = json.loads(body)
    stubs = doc.get("_attachments")
    if not stubs:
        return body
    inlined = {}
    for name, stub in stubs.items():
        data = attachment_data(conn, doc_id, stub["digest"])
        entry = {k: v for k, v in stub.items() if k not in ("stub", "length")}
        inlined[name] = entry | {"data": base64.b64encode(data).decode()}
    doc["_attachments"] = inlined
    return dumps(doc)


def attachment_data(conn: sa.Connection, doc_id: str, digest: str) -> bytes:
    data = conn.execute(sa.select(attachments.c.data).where(
        attachments.c.doc_id == doc_id, attachments.c.digest == digest)).scalar()
    if data is None:
        raise not_found("Document is missing attachment")
    return bytes(data)
