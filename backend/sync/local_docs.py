"""`_local` documents (replication checkpoints): not replicated, rev-checked, kept per user.

CouchDB gives local documents revisions "0-1", "0-2", … and checks them like ordinary
revisions. Keys are prefixed with the owner's user id: PouchDB derives the checkpoint id
from the two databases' ids only, so two users replicating the same database from one
browser profile would otherwise read and overwrite each other's checkpoints.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from backend import jsontext
from backend.jsontext import dumps
from backend.sync.prepare import DocError
from backend.sync.tables import local_docs

_LOCAL_REV = re.compile(r"^0-(\d{1,12})$")
MAX_ID_LENGTH = 250


def key(owner: str, local_id: str) -> str:
    if not local_id or len(local_id) > MAX_ID_LENGTH:
        raise DocError("bad_request", f"_local ids are 1-{MAX_ID_LENGTH} characters", 400)
    if jsontext.text_fault(local_id) or jsontext.has_control(local_id):
        raise DocError("bad_request", "_local ids hold no control characters or lone "
                                      "surrogates", 400)
    return f"{owner}/{local_id}"


def _conflict() -> DocError:
    return DocError("conflict", "Document update conflict.", 409)


def _number(rev: object) -> int:
    match = _LOCAL_REV.match(rev) if isinstance(rev, str) else None
    if match is None:
        raise _conflict()  # CouchDB answers a malformed local rev as a conflict too
    return int(match.group(1))


def get(conn: sa.Connection, doc_key: str) -> tuple[int, dict] | None:
    row = conn.execute(sa.select(local_docs.c.rev, local_docs.c.body)
                       .where(local_docs.c.id == doc_key)).first()
    return None if row is None else (row.rev, json.loads(row.body))


def put(conn: sa.Connection, doc_key: str, doc: dict) -> int:
    """Store `doc` (meta fields stripped); returns the new revision number."""
    body = dumps({k: v for k, v in doc.items() if not k.startswith("_")})
    current = conn.execute(sa.select(local_docs.c.rev).where(local_docs.c.id == doc_key)
                           .with_for_update()).scalar()
    given = doc.get("_rev")
    if current is None:
        if given not in (None, "0-0"):
            raise _conflict()
        conn.execute(local_docs.insert().values(id=doc_key, rev=1, body=body))
        return 1
    if given is None or _number(given) != current:
        raise _conflict()
    conn.execute(local_docs.update().where(local_docs.c.id == doc_key)
                 .values(rev=current + 1, body=body))
    return current + 1


def delete(conn: sa.Connection, doc_key: str, rev: str | None) -> None:
    current = conn.execute(sa.select(local_docs.c.rev).where(local_docs.c.id == doc_key)
                           .with_for_update()).scalar()
    if current is None:
        raise DocError("not_found", "missing", 404)
    if _number(rev) != current:
        raise _conflict()
    conn.execute(local_docs.delete().where(local_docs.c.id == doc_key))
