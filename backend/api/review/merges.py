"""Merging duplicate persons: `POST /merges`, `GET /merges`, `POST /merges/<id>/undo`
(docs/review.md, "Merging and undo").

Thin views over backend/review/merge.py: the reviewer's role here, the area of every person
and merge there (outside = 404, as if unknown); a refusal changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from backend.api.review.blueprint import blp
from backend.api.review.scope import answered, one_desa, reviewer
from backend.auth.tables import users
from backend.db import read_transaction, write_transaction
from backend.documents.fieldtypes import DesaCode
from backend.projections.tables import persons
from backend.review import merge as merging
from backend.review.tables import merges
from backend.sync import notify

ID = fields.String(required=True, validate=validate.Length(min=1, max=200))


class MergeBodySchema(Schema):
    survivor = ID
    merged = ID
    take = fields.List(fields.String(validate=validate.Length(max=40)),
                       validate=validate.Length(max=len(merging.TAKEABLE)), load_default=list,
                       metadata={"description": "Fields of `merged` the survivor takes."})


class MergedSchema(Schema):
    id = fields.String()
    survivor = fields.String()
    merged = fields.String()
    moved = fields.Dict(keys=fields.String(), values=fields.Integer())
    undo_until = fields.String()


class MergeListQuerySchema(Schema):
    desa = DesaCode(required=True)


class MergeRowSchema(Schema):
    id = fields.String()
    survivor = fields.String()
    survivor_name = fields.String(allow_none=True)
    merged = fields.String()
    merged_name = fields.String(allow_none=True)
    merged_by = fields.String(metadata={"description": "The reviewer's username."})
    merged_by_name = fields.String(allow_none=True, metadata={
        "description": "The reviewer's display name, what a person reads (null if the "
                       "account is gone)."})
    merged_at = fields.String()
    undo_until = fields.String()
    undone_at = fields.String(allow_none=True)
    can_undo = fields.Boolean()


class MergeListSchema(Schema):
    items = fields.List(fields.Nested(MergeRowSchema))


class UndoneSchema(Schema):
    id = fields.String()
    undone_at = fields.String()


@blp.route("/merges", methods=["POST"])
@blp.arguments(MergeBodySchema)
@blp.response(201, MergedSchema)
def create_merge(body: dict):
    """Merge `merged` into `survivor`: every record moves, the duplicate is kept as merged."""
    user = reviewer()
    with answered(), write_transaction() as conn:
        result = merging.merge(conn, user, body["survivor"], body["merged"], body["take"])
    notify.changed()   # committed: the tablets' longpolls receive the re-pointed records
    return result.__dict__


@blp.route("/merges", methods=["GET"])
@blp.arguments(MergeListQuerySchema, location="query")
@blp.response(200, MergeListSchema)
def list_merges(query: dict):
    """The desa's merges, newest first, with whether each can still be undone and who merged
    by name (the username is an account handle, not what a colleague is called)."""
    desa = one_desa(reviewer(), query["desa"])
    survivor, merged = persons.alias("survivor"), persons.alias("merged_person")
    stmt = (sa.select(merges, survivor.c.name.label("survivor_name"),
                      merged.c.name.label("merged_name"),
                      users.c.display_name.label("merged_by_name"))
            .join(survivor, survivor.c.id == merges.c.survivor, isouter=True)
            .join(merged, merged.c.id == merges.c.merged, isouter=True)
            .join(users, users.c.username == merges.c.merged_by, isouter=True)
            .where(merges.c.desa == desa)
            .order_by(merges.c.merged_at.desc(), merges.c.id))
    with read_transaction() as conn:
        rows = conn.execute(stmt).all()
    return {"items": [{**{k: v for k, v in row._asdict().items() if k != "changes"},
                       "can_undo": merging.can_undo(row)} for row in rows]}


@blp.route("/merges/<merge_id>/undo", methods=["POST"])
@blp.response(200, UndoneSchema)
def undo_merge(merge_id: str):
    """Undo a merge within MERGE_UNDO_DAYS; a field edited since keeps its edit."""
    user = reviewer()
    with answered(), write_transaction() as conn:
        undone_at = merging.undo(conn, user, merge_id)
    notify.changed()
    return {"id": merge_id, "undone_at": undone_at}
