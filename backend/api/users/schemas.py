"""Staff accounts as the admin manages them (the shape the admin screen is built against)."""

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
    cluster = fields.String(allow_none=True, validate=validate.OneOf(CLUSTERS),
                            metadata={"description": "Required for role klaster."})
    scopes = fields.List(DESA, metadata={
        "description": "Desa codes the user sees. Empty or left out for a Puskesmas-wide role "
                       "(klaster, kapus, admin, dinkes): the whole Puskesmas."})
    whole_puskesmas = fields.Boolean(dump_only=True, metadata={
        "description": "The area is every desa of the Puskesmas, including desa added later "
                       "(`scopes` lists them as of now)."})
    active = fields.Boolean(dump_only=True)
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=8, max=200))


class UserUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(validate=validate.OneOf(list(ROLES)), metadata={
        "description": "To a Puskesmas-wide role without `scopes`: every desa. From one to a "
                       "desa role, `scopes` is required."})
    cluster = fields.String(allow_none=True, validate=validate.OneOf(CLUSTERS))
    scopes = fields.List(DESA, metadata={
        "description": "Empty for a Puskesmas-wide role: the whole Puskesmas."})
    active = fields.Boolean(metadata={"description": "false deactivates, true reactivates."})
    password = fields.String(load_only=True, validate=validate.Length(min=8, max=200),
                             metadata={"description": "Reset: the admin sets a new password."})
