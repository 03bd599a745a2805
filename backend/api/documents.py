"""Create / read / edit routes shared by every document resource, written once.

`document_routes(blp, "person")` adds `POST ""`, `GET "/<id>"` and `PATCH "/<id>"` to a
blueprint. Input is validated by the document schema itself (minus the fields the server
stamps), so the REST API and replication accept exactly the same documents.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields

from backend.api.base import (
    PLAIN_WRITE,
    Write,
    create_document,
    fetch_scoped,
    record_opened,
    require,
    update_document,
)
from backend.api.paging import page_of, paginate
from backend.auth.users import User
from backend.db import read_transaction
from backend.documents.schemas import MUTABLE_TYPES, SCHEMAS

SERVER_FIELDS = ("_id", "_revisions", "_attachments", "_deleted", "_conflicts", "type",
                 "schema", "created_at", "created_by", "updated_at", "updated_by", "field_ts")


def input_schema(doc_type: str, partial: bool = False):
    """The document schema without server-stamped fields; an edit must name its `_rev`."""
    base = SCHEMAS[doc_type]
    exclude = tuple(f for f in SERVER_FIELDS + (() if partial else ("_rev",))
                    if f in base._declared_fields)
    attrs = {"Meta": type("Meta", (base.Meta,), {"exclude": exclude})}
    if partial:
        attrs["_rev"] = fields.String(required=True, data_key="_rev")
        attrs.update(_clearable(base))
    name = f"{base.__name__.removesuffix('Schema')}{'Edit' if partial else 'New'}Schema"
    cls = type(name, (base,), attrs)
    if not partial:
        return cls()
    return cls(partial=tuple(name for name in cls._declared_fields if name != "_rev"))


def _clearable(base) -> dict:
    """An edit may clear an optional field by sending null (the field_ts rule removes it and
    stamps the removal): a person who moves desa leaves her old household behind."""
    cleared = {}
    for name, field in base._declared_fields.items():
        if field.required or name.startswith("_") or name in SERVER_FIELDS:
            continue
        clearable = copy.copy(field)
        clearable.allow_none = True
        cleared[name] = clearable
    return cleared


def _raw_fields(schema) -> dict:
    """The JSON as sent (dates stay ISO strings: documents are stored exactly as written)."""
    body = request.get_json(silent=True) or {}
    return {k: v for k, v in body.items() if k in schema.fields}


@dataclass(frozen=True)
class Search:
    """How a collection is listed: query schema, row schema, and the scoped SQL for a query."""

    query: type
    row: type
    statement: Callable[[dict, User], sa.Select]


def document_routes(blp: Blueprint, doc_type: str, search: Search,
                    writers: tuple[str, ...] = (), audit_view: str | None = None,
                    write: Write = PLAIN_WRITE) -> None:
    """`audit_view` names the view in the audit trail when reading one document opens a
    person's record (persons); None for types whose reads are not audited. `write` adds the
    type's own checks of a create or edit (tasks: closing needs an outcome)."""
    create_schema = input_schema(doc_type)
    edit_schema = input_schema(doc_type, partial=True) if doc_type in MUTABLE_TYPES else None

    @blp.route("")
    class Collection(MethodView):
        @blp.arguments(search.query, location="query")
        @blp.response(200, page_of(search.row))
        def get(self, query):
            """Search within the caller's area, paginated."""
            user = require(records=True)
            with read_transaction() as conn:
                return paginate(conn, search.statement(query, user), query)

        @blp.arguments(create_schema)
        @blp.response(201)
        def post(self, _data):
            """Create a document; answers it with its `_id` and `_rev`."""
            user = require(*writers, records=True)
            return create_document(doc_type, _raw_fields(create_schema), user, write)

    @blp.route("/<doc_id>")
    class One(MethodView):
        @blp.response(200)
        def get(self, doc_id):
            """The current revision, if it lies in the caller's area."""
            user = require(records=True)
            doc = fetch_scoped(doc_id, user, doc_type)
            if audit_view:
                record_opened(user, doc, audit_view)
            return doc

    if doc_type not in MUTABLE_TYPES:
        return  # encounters are written once; a correction is a new encounter (`corrects`)

    @blp.route("/<doc_id>")
    class Edit(MethodView):
        @blp.arguments(edit_schema)
        @blp.response(200)
        def patch(self, _data, doc_id):
            """Change some fields; `_rev` must be the revision the change was made on."""
            user = require(*writers, records=True)
            current = fetch_scoped(doc_id, user, doc_type)
            changes = _raw_fields(edit_schema)
            rev = changes.pop("_rev")
            if "desa" in changes and changes["desa"] not in user.scopes:
                abort(403, message="The new desa is outside your area.")
            return update_document(current, changes, rev, user, write)
