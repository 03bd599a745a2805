"""Person search: query parameters and result rows (from the read model)."""

from marshmallow import Schema, fields, validate

from backend.api.bounds import NearDate
from backend.api.households.schemas import SearchQuerySchema


class PersonQuerySchema(SearchQuerySchema):
    nik = fields.String(validate=validate.Regexp(r"^\d{16}$", error="must be 16 digits"))
    jkn = fields.String(validate=validate.Regexp(r"^\d{13}$", error="must be 13 digits"))
    household = fields.String()


class PersonRowSchema(Schema):
    id = fields.String()
    desa = fields.String()
    household_id = fields.String(allow_none=True)
    name = fields.String()
    nik = fields.String(allow_none=True)
    sex = fields.String()
    birth_date = fields.Date()
    birth_date_estimated = fields.Boolean()
    relation = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    posyandu_id = fields.String(allow_none=True)
    no_kk = fields.String(allow_none=True)


class DueQuerySchema(Schema):
    date = NearDate()
