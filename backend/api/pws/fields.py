"""Query fields shared by the PWS routes."""

from __future__ import annotations

from marshmallow import ValidationError, fields

from backend.pws.months import Month, check_month, parse_month


class MonthField(fields.String):
    """`YYYY-MM`, a local month of the Puskesmas from five years ago up to the current month
    (backend/pws/months.py); anything else is a 422 saying why. A string in OpenAPI."""

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault("description", "Bulan YYYY-MM (zona waktu Puskesmas)")
        metadata.setdefault("example", "2026-06")
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> Month:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return check_month(parse_month(text))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)
