"""Places: Puskesmas, desa, Pustu and Posyandu."""

from marshmallow import Schema, fields, validate


class PlaceSchema(Schema):
    id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(
        ["puskesmas", "desa", "pustu", "posyandu"]))
    code = fields.String(allow_none=True)
    name = fields.String(required=True)
    parent_id = fields.String(allow_none=True)
    desa = fields.String(allow_none=True)
    schedule_day = fields.Integer(allow_none=True)


class PlaceQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(["puskesmas", "desa", "pustu", "posyandu"]))
    desa = fields.String()
