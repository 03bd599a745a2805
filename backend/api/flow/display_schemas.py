"""Waiting-room screens and the day report: requests and answers (docs/flow.md)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend.flow.display import LABEL_MAX, MAX_POINTS


class DisplayInSchema(Schema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=LABEL_MAX),
                          metadata={"description": "Where the screen hangs, e.g. \"Ruang tunggu "
                                                   "utama\"."})
    service_points = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                                 required=True,
                                 validate=validate.Length(min=1, max=MAX_POINTS),
                                 metadata={"description": "Ids of the service points it shows."})
    chime = fields.Boolean(load_default=False,
                           metadata={"description": "Offer a chime on each call (the TV "
                                                    "enables it with one tap)."})


class PointLabelSchema(Schema):
    id = fields.String()
    label = fields.String()


class DisplaySchema(Schema):
    id = fields.String()
    label = fields.String()
    chime = fields.Boolean()
    service_points = fields.List(fields.Nested(PointLabelSchema))
    created_at = fields.String()
    created_by = fields.String()
    revoked_at = fields.String(allow_none=True)


class DisplayCreatedSchema(DisplaySchema):
    token = fields.String(metadata={"description": "The screen's secret, shown this once."})
    url = fields.String(metadata={"description": "Open on the TV: `/layar/#<token>`."})


class ReportQuerySchema(Schema):
    day = fields.Date(metadata={"description": "One day (default: today)."})
    month = fields.String(validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"),
                          metadata={"description": "A whole month, YYYY-MM."})


class TimesSchema(Schema):
    count = fields.Integer()
    median_s = fields.Integer(allow_none=True)
    p90_s = fields.Integer(allow_none=True)


class PointReportSchema(Schema):
    service_point = fields.String()
    label = fields.String()
    kind = fields.String()
    entries = fields.Integer()
    served = fields.Integer()
    waiting = fields.Nested(TimesSchema, metadata={"description": "Created -> first called."})
    service = fields.Nested(TimesSchema, metadata={"description": "Started -> ended."})
    skipped = fields.Integer(metadata={"description": "No-shows: skipped and never served."})
    cancelled = fields.Integer()
    unserved = fields.Integer(metadata={"description": "Still waiting or called at the end."})


class DayRowSchema(Schema):
    day = fields.String()
    visits = fields.Integer()
    served = fields.Integer()
    skipped = fields.Integer()
    cancelled = fields.Integer()


class ReportSchema(Schema):
    period = fields.String(metadata={"description": "\"day\" or \"month\"."})
    start = fields.String()
    end = fields.String()
    visits = fields.Integer()
    by_cluster = fields.Dict(keys=fields.String(), values=fields.Integer())
    new_patients = fields.Integer()
    by_payer = fields.Dict(keys=fields.String(), values=fields.Integer())
    points = fields.List(fields.Nested(PointReportSchema))
    days = fields.List(fields.Nested(DayRowSchema))
