"""Possible duplicate persons: `GET /duplicates`, `GET /duplicates/compare`,
`POST /duplicates/dismiss` (docs/review.md, "Duplicates"; merging is backend/api/review/merges.py).

Thin views: role and area come from backend/api/review/scope.py, the reading and the verdict
from backend/review/pairs.py. A person outside the caller's area answers 404, like an
unknown one; a refused verdict changes nothing.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from backend import audit
from backend.api.review.blueprint import blp
from backend.api.review.scope import answered, one_desa, reviewer
from backend.db import read_transaction, write_transaction
from backend.documents.fieldtypes import DesaCode
from backend.review import pairs

PERSON_ID = fields.String(required=True, validate=validate.Length(min=1, max=200))


def _cursor(value: str) -> None:
    try:
        pairs.decode_cursor(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class PairQuerySchema(Schema):
    desa = DesaCode(required=True)
    after = fields.String(validate=[validate.Length(max=600), _cursor],
                          metadata={"description": "`next` of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class PersonCardSchema(Schema):
    id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.String()
    nik = fields.String(allow_none=True)
    no_kk = fields.String(allow_none=True)
    household_id = fields.String(allow_none=True)
    household_name = fields.String(allow_none=True)
    desa = fields.String()
    desa_name = fields.String(allow_none=True)
    relation = fields.String(allow_none=True)
    mother_name = fields.String(allow_none=True)
    created_at = fields.String(allow_none=True)
    encounters = fields.Integer()
    pregnancies = fields.Integer()
    tasks = fields.Integer()
    last_visit = fields.String(allow_none=True)


class ReasonSchema(Schema):
    code = fields.String()
    label = fields.String(metadata={"description": "in Indonesian, from duplicates.json"})


class PairSchema(Schema):
    a = fields.Nested(PersonCardSchema)
    b = fields.Nested(PersonCardSchema)
    score = fields.Float()
    reasons = fields.List(fields.Nested(ReasonSchema))


class PairPageSchema(Schema):
    items = fields.List(fields.Nested(PairSchema))
    next = fields.String(allow_none=True)


class CompareQuerySchema(Schema):
    a = PERSON_ID
    b = PERSON_ID


class FieldSchema(Schema):
    field = fields.String()
    label = fields.String()
    a = fields.Raw(allow_none=True)
    b = fields.Raw(allow_none=True)
    same = fields.Boolean()


class ComparisonSchema(PairSchema):
    # `fields` is the Schema's own attribute: the list is declared under another name.
    field_rows = fields.List(fields.Nested(FieldSchema), data_key="fields", attribute="fields")


class DismissBodySchema(Schema):
    a = PERSON_ID
    b = PERSON_ID


class DismissedSchema(Schema):
    a = fields.String()
    b = fields.String()
    verdict = fields.String()


@blp.route("/duplicates")
@blp.arguments(PairQuerySchema, location="query")
@blp.response(200, PairPageSchema)
def duplicate_pairs(query: dict):
    """Open pairs of possible duplicates touching one desa, best score first."""
    user = reviewer()
    desa = one_desa(user, query["desa"])
    with read_transaction() as conn:
        page = pairs.open_pairs(conn, user.scopes, desa, query.get("after"), query["limit"])
    return {"items": page.items, "next": page.next}


@blp.route("/duplicates/compare")
@blp.arguments(CompareQuerySchema, location="query")
@blp.response(200, ComparisonSchema)
def compare_persons(query: dict):
    """Two persons side by side: score, reasons and every field."""
    user = reviewer()
    with answered(), read_transaction() as conn:
        return pairs.side_by_side(conn, user.scopes, query["a"], query["b"])


@blp.route("/duplicates/dismiss", methods=["POST"])
@blp.arguments(DismissBodySchema)
@blp.response(200, DismissedSchema)
def dismiss_pair(body: dict):
    """"Bukan orang yang sama": the pair is never listed again (audited)."""
    user = reviewer()
    with answered(), write_transaction() as conn:
        detail = pairs.dismiss(conn, user, user.scopes, body["a"], body["b"])
        audit.record(conn, actor=user, action="duplicate.dismiss", target_type="person",
                     target_id=detail["a"], desa=detail.pop("desa"), detail=detail)
    return {"a": body["a"], "b": body["b"], "verdict": pairs.VERDICT}
