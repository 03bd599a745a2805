"""Field types shared by the document schemas: Kemendagri codes, references, digits, dates."""

from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError, fields, validate

from backend import clock
from backend.documents.vocabulary import DESA_CODE

# The uuid of a document id `<type>:<uuid>`: any version (the PWA makes v7, the server v4),
# lowercase hex with hyphens, so one record never has two spellings (backend/sync/prepare.py).
UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class DesaCode(fields.String):
    """Kemendagri desa/kelurahan code: 10 digits, stored without dots (docs/domain.md §9)."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Regexp(
            DESA_CODE, error="must be a 10-digit Kemendagri desa code"), **kwargs)


class Digits(fields.String):
    """A number kept as text because leading zeros matter (NIK, no. KK, no. JKN)."""

    def __init__(self, length: int, **kwargs):
        super().__init__(validate=validate.Regexp(
            rf"^\d{{{length}}}$", error=f"must be exactly {length} digits"), **kwargs)


class Phone(fields.String):
    def __init__(self, **kwargs):
        super().__init__(validate=validate.Regexp(
            r"^\+?\d{8,15}$", error="must be a phone number of 8-15 digits"), **kwargs)


class Ref(fields.String):
    """The `_id` of another document of the given type: `<type>:<uuid>`."""

    def __init__(self, doc_type: str, **kwargs):
        self.doc_type = doc_type  # the rule its target obeys: documents/types.py
        super().__init__(validate=validate.Regexp(
            rf"^{doc_type}:{UUID_TEXT}\Z", error=f"must reference a '{doc_type}' document"),
            **kwargs)


class Timestamp(fields.String):
    """ISO 8601 date-time with an explicit offset or Z."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError("must be an ISO 8601 date-time") from exc
        if parsed.tzinfo is None:
            raise ValidationError("must carry a time zone offset or Z")
        return text


class PastDate(fields.Date):
    """A date that cannot lie in the future (birth, visit, delivery). One day of slack
    absorbs tablets whose clock runs ahead across the date line of WIB/WITA/WIT."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if day > clock.today() + dt.timedelta(days=1):
            raise ValidationError("must not be in the future")
        return day


# Numbers and booleans exactly as JSON carries them. Marshmallow's own fields coerce: "3" and
# 3.7 pass as integers, "52.5" as a float, "false" and "off" as booleans. Documents are stored as
# sent, so a coerced value would reach the tablets' evaluators as a string ("false" is truthy
# in JavaScript: a child without oedema would be flagged). These refuse anything but the type.


class Int(fields.Integer):
    """A JSON integer: 3, not "3" or 3.7."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class Num(fields.Float):
    """A JSON number (integer or decimal), finite: 52.5 or 52, not "52.5"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Bool(fields.Boolean):
    """JSON true or false: not "false", 0 or "off"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)
