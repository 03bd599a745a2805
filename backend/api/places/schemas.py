"""Places: Puskesmas, desa, Pustu and Posyandu; the admin's create and edit bodies."""

from marshmallow import Schema, fields, validate

from backend.api.places.rules import CREATABLE
from backend.documents.vocabulary import DESA_CODE as DESA_PATTERN
from backend.documents.vocabulary import PLACE_KINDS

DESA_CODE = validate.Regexp(DESA_PATTERN, error="must be a 10-digit Kemendagri desa code")
NAME = validate.Length(min=1, max=120)
DAY = validate.Range(min=1, max=28, error="a monthly day from 1 to 28")


class PlaceSchema(Schema):
    id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))
    code = fields.String(allow_none=True)
    name = fields.String(required=True)
    parent_id = fields.String(allow_none=True)
    desa = fields.String(allow_none=True)
    schedule_day = fields.Integer(allow_none=True)
    dusun = fields.String(allow_none=True)


class PlaceQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(PLACE_KINDS))
    desa = fields.String()


class _PlaceFields(Schema):
    """Optional fields take null: on an edit it clears them (the field_ts rule stamps the
    removal); on a new place it is the same as leaving them out."""

    name = fields.String(validate=NAME)
    parent = fields.String(allow_none=True)
    dusun = fields.String(allow_none=True, validate=validate.Length(max=120))
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    schedule_day = fields.Integer(allow_none=True, validate=DAY)


class PlaceEditSchema(_PlaceFields):
    """An edit names the revision it was made on; kind, code and desa never change (they key
    the records under the place), so they are not accepted here."""

    _rev = fields.String(required=True, data_key="_rev")


class PlaceNewSchema(_PlaceFields):
    """A new desa (with its `code`), Pustu or Posyandu (in an existing `desa`)."""

    kind = fields.String(required=True, validate=validate.OneOf(CREATABLE))
    name = fields.String(required=True, validate=NAME)
    code = fields.String(validate=DESA_CODE)
    desa = fields.String(validate=DESA_CODE)
