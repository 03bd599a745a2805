"""Cross-cutting API behaviour in one place: login and role checks, scoping, document writes.

Views stay a few lines: they call `require()` for the caller, `scoped()` to restrict a
query to the caller's desa, and `create_document`/`update_document` to write through the
document store exactly as a replicated write would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_smorest import abort

from backend import audit, clock
from backend.auth import current_user
from backend.auth.users import User
from backend.db import read_transaction, write_transaction
from backend.documents.field_ts import apply_changes, changed_fields
from backend.documents.schemas import describe_errors, validate_document
from backend.search import name_key
from backend.sync import notify, reads
from backend.writes import write_docs

SCHEMA_VERSION = 1


def require(*roles: str, records: bool = False) -> User:
    """The logged-in user, or abort 401; 403 if their role is not among `roles` (if given)."""
    user = current_user()
    if user is None:
        abort(401, message="Login required.")
    if roles and user.role not in roles:
        abort(403, message=f"Role '{user.role}' may not do this.")
    if records and not user.role_info.reads_records:
        abort(403, message=f"Role '{user.role}' sees aggregates only, not records.")
    return user


def scoped(query: sa.Select, desa_column: sa.Column, user: User,
           desa: str | None = None) -> sa.Select:
    """Restrict to the user's desa (and to one of them when `desa` is asked for)."""
    allowed = sorted(user.scopes)
    if desa is not None:
        allowed = [desa] if desa in user.scopes else []
    return query.where(desa_column.in_(allowed))


def in_scope(desa_column: sa.Column, user: User) -> sa.ColumnElement[bool]:
    """The condition "this row's desa is one the user may see", for a join's ON clause: a
    joined row (a person's name beside an encounter) is scoped like any other, so a list never
    shows, nor by a null tells apart, a record outside the caller's area."""
    return desa_column.in_(sorted(user.scopes))


def filtered(stmt: sa.Select, query: dict, equal: dict[str, sa.Column],
             name_column: sa.Column | None = None) -> sa.Select:
    """Apply the query's equality filters, and `q` as a name search on the name key."""
    for param, column in equal.items():
        if param in query:
            stmt = stmt.where(column == query[param])
    if name_column is not None and "q" in query:
        stmt = stmt.where(name_column.contains(name_key(query["q"]), autoescape=True))
    return stmt


def fetch_doc(doc_id: str, doc_type: str) -> dict:
    """The winning revision of a document of `doc_type`, whoever may see it; 404 otherwise."""
    if not doc_id.startswith(f"{doc_type}:"):
        abort(404, message="Not found.")
    try:
        with read_transaction() as conn:
            return reads.get_doc(conn, doc_id, None, reads.ReadOptions())
    except reads.DocError:
        abort(404, message="Not found.")


def fetch_scoped(doc_id: str, user: User, doc_type: str) -> dict:
    """The winning revision of a document the user may see; 404 otherwise (never 403, so a
    record outside the caller's area is indistinguishable from one that does not exist)."""
    doc = fetch_doc(doc_id, doc_type)
    if not user.sees(doc.get("desa")):
        abort(404, message="Not found.")
    return doc


def record_opened(user: User, person: dict, view: str) -> None:
    """One audit row per request that shows a person's record (UU 27/2022: who opened it)."""
    audit.record_request(user, "record.open", "person", person["_id"], desa=person.get("desa"),
                         detail={"view": view})


@dataclass(frozen=True)
class Write:
    """How a REST write is audited, and what it must satisfy beyond its schema (checked
    against the database: uniqueness, references)."""

    action: str = "document.write"
    check: Callable[[sa.Connection, dict], dict[str, list[str]]] | None = None


PLAIN_WRITE = Write()


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")


def invalid(errors: dict) -> None:
    """422 with the schema's errors, in words and by field."""
    abort(422, message=describe_errors(errors), errors={"json": errors})


def _write(doc: dict, user: User, changed: list[str], write: Write) -> dict:
    errors = validate_document(doc)
    if errors:
        invalid(errors)
    with write_transaction() as conn:
        # Checked inside the write's transaction, so no other write slips in between.
        errors = write.check(conn, doc) if write.check else {}
        if errors:
            invalid(errors)
        result = write_docs(conn, [doc], user)[0]
        if result.get("ok"):  # the audit row commits with the revision, or neither does
            audit.record(conn, actor=user, action=write.action, target_type=doc["type"],
                         target_id=doc["_id"], desa=doc.get("desa"),
                         detail={"rev": result["rev"], "fields": sorted(changed)})
    notify.changed()  # committed: wake the longpoll `_changes` requests of this process
    if result.get("error") == "conflict":
        abort(409, message="The document changed since you read it; reload and try again.")
    if result.get("error"):
        abort(403 if result["error"] == "forbidden" else 400, message=result["reason"])
    return {**doc, "_rev": result["rev"]}


def new_document(doc_type: str, fields: dict, user: User) -> dict:
    """A new document of `doc_type` with `fields`, stamped (id, schema, created) for `user`."""
    return {"_id": f"{doc_type}:{uuid.uuid4()}", "type": doc_type, "schema": SCHEMA_VERSION,
            **fields, "created_at": _now(), "created_by": user.username}


def create_document(doc_type: str, fields: dict, user: User,
                    write: Write = PLAIN_WRITE) -> dict:
    return _write(new_document(doc_type, fields, user), user, list(fields), write)


def update_document(current: dict, changes: dict, rev: str, user: User,
                    write: Write = PLAIN_WRITE) -> dict:
    """A new revision of `current` with `changes`, stamped per field for conflict merging."""
    if rev != current["_rev"]:
        abort(409, message="The document changed since you read it; reload and try again.")
    now = _now()
    doc = {**apply_changes(current, changes, now), "updated_at": now, "updated_by": user.username}
    return _write(doc, user, changed_fields(current, changes), write)
