"""Household search: query parameters and result rows (from the read model)."""

from marshmallow import Schema, fields, validate

from backend.api.paging import PageQuerySchema
from backend.documents.fieldtypes import DesaCode


class SearchQuerySchema(PageQuerySchema):
    q = fields.String(validate=validate.Length(min=1, max=120))
    no_kk = fields.String(validate=validate.Regexp(r"^\d{16}$", error="must be 16 digits"))
    desa = DesaCode()
    posyandu = fields.String()


class HouseholdRowSchema(Schema):
    id = fields.String()
    desa = fields.String()
    no_kk = fields.String(allow_none=True)
    head_name = fields.String()
    address = fields.String(allow_none=True)
    rt = fields.String(allow_none=True)
    rw = fields.String(allow_none=True)
    dusun = fields.String(allow_none=True)
    posyandu_id = fields.String(allow_none=True)
    member_count = fields.Integer()
