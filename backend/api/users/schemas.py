"""Staff accounts as the admin manages them."""

from marshmallow import Schema, fields, validate

from backend.auth.roles import ROLES
from backend.documents.fieldtypes import DesaCode
from backend.documents.vocabulary import CLUSTERS

DESA = DesaCode()


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9._-]{3,64}$", error="3-64 lowercase letters, digits, dot, dash, underscore"))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    cluster = fields.String(allow_none=True, validate=validate.OneOf(CLUSTERS))
    scopes = fields.List(DESA, required=True)
    active = fields.Boolean(dump_only=True)
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=8, max=200))


class UserUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(validate=validate.OneOf(list(ROLES)))
    cluster = fields.String(allow_none=True, validate=validate.OneOf(CLUSTERS))
    scopes = fields.List(DESA)
    active = fields.Boolean()
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200))
