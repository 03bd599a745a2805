"""Encounter lists: filters and rows (from the read model)."""

from marshmallow import Schema, fields, validate

from backend.api.paging import PageQuerySchema
from backend.documents.fieldtypes import DesaCode
from backend.documents.schemas import CLUSTERS, SETTINGS


class EncounterQuerySchema(PageQuerySchema):
    person = fields.String()
    desa = DesaCode()
    setting = fields.String(validate=validate.OneOf(SETTINGS))
    cluster = fields.String(validate=validate.OneOf(CLUSTERS))
    date_from = fields.Date()
    date_to = fields.Date()


class EncounterRowSchema(Schema):
    id = fields.String()
    desa = fields.String()
    person_id = fields.String()
    person_name = fields.String(allow_none=True)
    date = fields.Date()
    setting = fields.String()
    place_id = fields.String(allow_none=True)
    provider = fields.String(allow_none=True)
    cluster = fields.String(allow_none=True)
    referral_to = fields.String(allow_none=True)
    created_at = fields.String()
