"""`GET /review/progress`: the share of records reviewed per desa and month, with the open
flags and possible duplicates (docs/review.md, "The review queue"). Counts only."""

from __future__ import annotations

from marshmallow import Schema, fields

from backend.api.pws.fields import MonthField
from backend.api.review import scope
from backend.api.review.blueprint import blp
from backend.db import read_transaction
from backend.review import progress


class ReviewProgressQuerySchema(Schema):
    month = MonthField(required=True)


class ReviewDesaProgressSchema(Schema):
    desa = fields.String()
    name = fields.String()
    records = fields.Integer()
    reviewed = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "0..1; null without records"})
    open_flags = fields.Integer()
    duplicates = fields.Integer()


class ReviewProgressSchema(Schema):
    month = fields.String()
    desa = fields.List(fields.Nested(ReviewDesaProgressSchema))


@blp.route("/progress")
@blp.arguments(ReviewProgressQuerySchema, location="query")
@blp.response(200, ReviewProgressSchema)
def review_progress(query: dict):
    """Per desa of the reviewer: records of the month, how many reviewed, open flags, duplicates."""
    user = scope.reviewer()
    with read_transaction() as conn:
        rows = progress.progress(conn, sorted(user.scopes), query["month"])
    return {"month": str(query["month"]), "desa": rows}
