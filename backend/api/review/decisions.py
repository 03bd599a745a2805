"""`POST /review/decisions`: one verdict on many records (docs/review.md, "The review queue").

Thin view: the verdicts, the correction tasks and the audit are backend/review/decisions.py's,
in one write transaction: all the records are decided, or (any error) none.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend.api.review import scope
from backend.api.review.blueprint import blp
from backend.db import write_transaction
from backend.review import decisions
from backend.sync import notify


class ReviewDecisionBodySchema(Schema):
    decision = fields.String(required=True, metadata={
        "description": "benar | perbaikan | tidak_relevan"})
    records = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                          required=True, metadata={"description": "1..200 record ids"})
    note = fields.String(load_default=None, allow_none=True,
                         metadata={"description": "at most 300 characters"})


class ReviewDecidedSchema(Schema):
    decided = fields.List(fields.String())
    tasks = fields.List(fields.String(), metadata={"description": "correction tasks (perbaikan)"})


@blp.route("/decisions", methods=["POST"])
@blp.arguments(ReviewDecisionBodySchema)
@blp.response(200, ReviewDecidedSchema)
def decide(body: dict):
    """Verify, send back for correction, or set aside 1..200 records at once (all or none)."""
    user = scope.reviewer()
    with scope.answered(records=True), write_transaction() as conn:
        done = decisions.decide(conn, user, body["decision"], body["records"], body["note"])
    notify.changed()   # a correction task waits for the Pustu's tablets
    return {"decided": done.decided, "tasks": done.tasks}
