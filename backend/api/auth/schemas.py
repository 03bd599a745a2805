"""Login request and the `me` answer."""

from marshmallow import Schema, fields, validate


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200),
                             load_only=True)


class MeSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    role_label = fields.String()
    cluster = fields.String(allow_none=True)
    scopes = fields.List(fields.String())
    writes = fields.List(fields.String())
    replicates = fields.Boolean(metadata={"description": "Whether this role replicates over /sync "
                                "(false: dinkes and fktp work through the API only)."})
    push_invite_days = fields.Integer(metadata={
        "description": "PUSH_INVITE_DAYS: how long a family's QR invite drawn on this device "
                       "stays valid (the device keeps it for offline use)."})
    csrf_token = fields.String(allow_none=True)
