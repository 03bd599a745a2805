"""Bodies and answers of the flow's queue endpoints (docs/api.md "Service flow: queues")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from backend.api.flow.desk_schemas import DispensedSchema, LabOrderSchema
from backend.api.flow.organisation_schemas import PointSchema
from backend.flow.arrivals import DESTINATIONS
from backend.flow.vocabulary import PAYERS, PRIORITIES

REASON = fields.String(load_default=None, validate=validate.Length(max=200))


class DayQuerySchema(Schema):
    day = fields.Date(load_default=None, metadata={"description": "default: today"})


class ArrivalQuerySchema(DayQuerySchema):
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                      metadata={"description": "part of the name, or a NIK"})


class ArrivalBodySchema(Schema):
    person = fields.String(required=True, validate=validate.Length(max=200))
    complaint = fields.String(load_default=None, validate=validate.Length(max=300))
    payer = fields.String(required=True, validate=validate.OneOf(PAYERS))
    new_patient = fields.Boolean(required=True)
    emergency = fields.Boolean(load_default=False)
    disability = fields.Boolean(load_default=False)
    symptoms = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list,
                           validate=validate.Length(max=20),
                           metadata={"description": "codes of config/ilp/routing.json"})
    cluster = fields.String(load_default=None, validate=validate.OneOf(DESTINATIONS),
                            metadata={"description": "default: the routing rule's proposal"})
    service_point = fields.String(load_default=None, validate=validate.Length(max=40),
                                  metadata={"description": "default: the first active room "
                                                           "serving the cluster"})


class StepBodySchema(Schema):
    reason = REASON


class TransferBodySchema(Schema):
    to = fields.String(required=True, validate=validate.Length(min=1, max=40))
    reason = REASON


class QueueCountsSchema(Schema):
    waiting = fields.Integer()
    called = fields.Integer()
    in_service = fields.Integer()
    done = fields.Integer()


class QueuePointTodaySchema(PointSchema):
    counts = fields.Nested(QueueCountsSchema)


class QueuePointsSchema(Schema):
    day = fields.String()
    points = fields.List(fields.Nested(QueuePointTodaySchema))


class QueuePersonSchema(Schema):
    id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.String()
    desa = fields.String()
    nik = fields.String()


class QueuePreviousSchema(Schema):
    id = fields.Integer()
    service_point = fields.String()
    ticket = fields.String()


class EntrySchema(Schema):
    id = fields.Integer()
    arrival_id = fields.String()
    service_point = fields.String()
    ticket = fields.String()
    status = fields.String()
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    priority_groups = fields.List(fields.String())
    queued_at = fields.String()
    created_at = fields.String()
    called_at = fields.String(allow_none=True)
    call_count = fields.Integer()
    started_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    served_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    encounter_id = fields.String(allow_none=True)
    previous = fields.Nested(QueuePreviousSchema, allow_none=True)
    person = fields.Nested(QueuePersonSchema, allow_none=True, metadata={
        "description": "null for a person outside the caller's area"})
    complaint = fields.String(allow_none=True)
    cluster = fields.String()
    payer = fields.String()
    new_patient = fields.Boolean()


class ArrivalSchema(Schema):
    id = fields.String()
    day = fields.String()
    person = fields.Nested(QueuePersonSchema, allow_none=True)
    complaint = fields.String(allow_none=True)
    payer = fields.String()
    new_patient = fields.Boolean()
    emergency = fields.Boolean()
    disability = fields.Boolean()
    symptoms = fields.List(fields.String())
    priority = fields.String()
    priority_groups = fields.List(fields.String())
    proposed_cluster = fields.String()
    cluster = fields.String()
    created_at = fields.String()
    created_by = fields.String()


class ArrivalEntrySchema(Schema):
    arrival = fields.Nested(ArrivalSchema)
    entry = fields.Nested(EntrySchema)


class QueueRouteSchema(Schema):
    cluster = fields.String()
    reasons = fields.List(fields.String())
    priority = fields.String()
    priority_groups = fields.List(fields.String())
    stage = fields.String()


class RegisteredSchema(ArrivalEntrySchema):
    route = fields.Nested(QueueRouteSchema, metadata={"description": "the routing rule's proposal"})


class ArrivalListSchema(Schema):
    day = fields.String()
    items = fields.List(fields.Nested(ArrivalEntrySchema))


class QueueSchema(Schema):
    point = fields.Nested(PointSchema)
    waiting = fields.List(fields.Nested(EntrySchema), metadata={"description": "in call order"})
    called = fields.List(fields.Nested(EntrySchema))
    in_service = fields.List(fields.Nested(EntrySchema))
    skipped = fields.List(fields.Nested(EntrySchema))
    done_count = fields.Integer()


class TransferSchema(Schema):
    ended = fields.Nested(EntrySchema)
    next = fields.Nested(EntrySchema)


class EntryDetailSchema(EntrySchema):
    history = fields.List(fields.Nested(EntrySchema), metadata={
        "description": "every entry of the arrival, in the order of the visit"})
    lab_orders = fields.List(fields.Nested(LabOrderSchema))
    dispensings = fields.List(fields.Nested(DispensedSchema))
