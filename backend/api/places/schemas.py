"""Places: Puskesmas, desa, Pustu and Posyandu."""

from marshmallow import Schema, fields, validate

from backend.documents.vocabulary import PLACE_KINDS


class PlaceSchema(Schema):
    id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))
    code = fields.String(allow_none=True)
    name = fields.String(required=True)
    parent_id = fields.String(allow_none=True)
    desa = fields.String(allow_none=True)
    schedule_day = fields.Integer(allow_none=True)


class PlaceQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(PLACE_KINDS))
    desa = fields.String()
