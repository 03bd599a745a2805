"""The audit trail as the admin and the Kepala Puskesmas read it: filters and entries."""

from marshmallow import Schema, fields, validate

from backend.api.bounds import MAX_ROW_ID, NearDate
from backend.audit import ACTIONS


class AuditQuerySchema(Schema):
    actor = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "username of who acted"})
    action = fields.String(validate=validate.OneOf(sorted(ACTIONS)))
    target_type = fields.String(validate=validate.Length(min=1, max=40))
    target_id = fields.String(validate=validate.Length(min=1, max=200))
    desa = fields.String(validate=validate.Regexp(r"^\d{10}$", error="must be 10 digits"))
    date_from = NearDate(metadata={"description": "first day, in the Puskesmas's zone"})
    date_to = NearDate(metadata={"description": "last day (inclusive)"})
    before_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ROW_ID), metadata={
        "description": "the next page: entries older than this id"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String(allow_none=True, metadata={"description": "username"})
    actor_name = fields.String(allow_none=True, metadata={"description": "display name"})
    action = fields.String(metadata={"description": "action code; the PWA labels it"})
    action_description = fields.String()
    target_type = fields.String()
    target_id = fields.String()
    desa = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)
    address = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    next_before_id = fields.Integer(allow_none=True, metadata={
        "description": "pass as before_id for the next (older) page; null on the last"})
