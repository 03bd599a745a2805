"""`GET /review/queue`: one desa's review queue (docs/review.md, "The review queue").

Thin view: the caller is a reviewer of the desa (backend/api/review/scope.py), the page and
its words come from backend/review/queue.py and items.py.
"""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate

from backend.api.review import scope
from backend.api.review.blueprint import blp
from backend.clinical_config import ilp_config
from backend.db import read_transaction
from backend.documents.fieldtypes import DesaCode
from backend.review import queue


class ReviewQueueQuerySchema(Schema):
    desa = DesaCode(required=True)
    show = fields.String(load_default="open", validate=validate.OneOf(queue.SHOWS), metadata={
        "description": "open: belum ditinjau (default); reviewed: sudah; all: semua"})
    flagged = fields.Boolean(load_default=False,
                             metadata={"description": "hanya catatan bertanda terbuka"})
    after = fields.String(load_default=None, validate=validate.Length(max=100),
                          metadata={"description": "`next` halaman sebelumnya"})
    limit = fields.Integer(load_default=queue.DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=queue.MAX_LIMIT))


class ReviewFlagSchema(Schema):
    rule = fields.String()
    label = fields.String()
    detail = fields.String(allow_none=True)
    open = fields.Boolean()
    verified_by = fields.String(allow_none=True)


class ReviewVerdictSchema(Schema):
    status = fields.String()
    by = fields.String()
    at = fields.String()
    note = fields.String(allow_none=True)
    task_id = fields.String(allow_none=True)


class ReviewItemSchema(Schema):
    id = fields.String()
    type = fields.String()
    person_id = fields.String()
    person_name = fields.String(allow_none=True)
    date = fields.String()
    summary = fields.String()
    where = fields.String(allow_none=True)
    by = fields.String(allow_none=True)
    synced_at = fields.String(allow_none=True, metadata={
        "description": "when the record reached the server through the API; null when it came "
                       "by replication (the store keeps no arrival time)"})
    flags = fields.List(fields.Nested(ReviewFlagSchema))
    review = fields.Nested(ReviewVerdictSchema, allow_none=True)
    corrected_by = fields.String(allow_none=True)


class ReviewCountsSchema(Schema):
    open = fields.Integer()
    flagged_open = fields.Integer()


class ReviewQueuePageSchema(Schema):
    desa = fields.String()
    items = fields.List(fields.Nested(ReviewItemSchema))
    next = fields.String(allow_none=True)
    counts = fields.Nested(ReviewCountsSchema)


@blp.route("/queue")
@blp.arguments(ReviewQueueQuerySchema, location="query")
@blp.response(200, ReviewQueuePageSchema)
def review_queue(query: dict):
    """One page of a desa's review queue: flagged records first, then the newest synced."""
    user = scope.reviewer()
    desa = scope.one_desa(user, query["desa"])
    try:
        with read_transaction() as conn:
            page = queue.queue(conn, ilp_config(), desa, query["show"], query["flagged"],
                               query["after"], query["limit"], user.scopes)
    except queue.BadCursor:
        abort(422, message="Penanda halaman (after) tidak dikenal: muat ulang antrean.")
    return {"desa": page.desa, "items": page.items, "next": page.next, "counts": page.counts}
