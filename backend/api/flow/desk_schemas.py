"""Bodies and answers of the cluster desk, lab and pharmacy endpoints (docs/flow.md).

The encounter's clinical parts are checked by the encounter document schema itself
(`backend.documents.schemas`), the one that checks replicated writes: here they only need to
be of the right JSON shape, so the two can never disagree.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from backend.documents.vocabulary import CLUSTERS

GLUCOSE_TYPES = ("GDS", "GDP", "GD2PP")


class EncounterBodySchema(Schema):
    """The encounter's clinical part; the server sets person, date, setting, place, provider."""

    class Meta:
        unknown = RAISE

    measurements = fields.Dict()
    screenings = fields.List(fields.Dict())
    immunizations = fields.List(fields.Dict())
    services = fields.List(fields.Dict())
    diagnoses = fields.List(fields.Dict())
    referral = fields.Dict()
    lab_orders = fields.List(fields.String(), metadata={"description": "lab.json test codes"})
    prescriptions = fields.List(fields.Dict(), metadata={
        "description": "[{drug, dose, quantity, instructions}]"})
    notes = fields.String()
    pregnancy = fields.String(metadata={"description": "the person's pregnancy document"})
    cluster = fields.String(validate=validate.OneOf(CLUSTERS), metadata={
        "description": "default: the arrival's cluster if the point serves it, else the "
                       "point's only cluster"})


class LabOrderBodySchema(Schema):
    class Meta:
        unknown = RAISE

    tests = fields.List(fields.String(validate=validate.Length(min=1, max=40)), required=True,
                        validate=validate.Length(min=1, max=20),
                        metadata={"description": "config/ilp/lab.json test codes"})
    note = fields.String(validate=validate.Length(max=300))


class LabOrdersQuerySchema(Schema):
    day = fields.Date(metadata={"description": "default: today (the Puskesmas's date)"})
    open = fields.Boolean(load_default=True, metadata={"description": "only orders without "
                                                                      "results"})


class OrderPersonSchema(Schema):
    id = fields.String()
    name = fields.String(allow_none=True)
    sex = fields.String(allow_none=True)
    birth_date = fields.String(allow_none=True)
    desa = fields.String()


class LabOrderSchema(Schema):
    """A lab order as an entry's detail lists it."""

    id = fields.Integer()
    entry_id = fields.Integer()
    tests = fields.List(fields.String())
    note = fields.String(allow_none=True)
    ordered_at = fields.String()
    ordered_by = fields.String()
    result_encounter_id = fields.String(allow_none=True)
    resulted_at = fields.String(allow_none=True)
    resulted_by = fields.String(allow_none=True)


class LabOrderWithPersonSchema(LabOrderSchema):
    """A lab order on the lab's worklist: with the person and where it was ordered."""

    arrival_id = fields.String()
    ticket = fields.String()
    service_point = fields.String(metadata={"description": "where the test was ordered"})
    person = fields.Nested(OrderPersonSchema)


class LabResultInSchema(Schema):
    class Meta:
        unknown = RAISE

    test = fields.String(required=True, validate=validate.Length(min=1, max=40))
    value = fields.Float(allow_nan=False, metadata={"description": "a numeric test's value"})
    result = fields.String(validate=validate.Length(min=1, max=40),
                           metadata={"description": "a coded result (reaktif, +2...)"})


class ResultsBodySchema(Schema):
    class Meta:
        unknown = RAISE

    results = fields.List(fields.Nested(LabResultInSchema), required=True,
                          validate=validate.Length(min=1, max=20))
    glucose_type = fields.String(validate=validate.OneOf(GLUCOSE_TYPES))


class DispenseItemSchema(Schema):
    class Meta:
        unknown = RAISE

    index = fields.Integer(strict=True, required=True, validate=validate.Range(min=0),
                           metadata={"description": "the prescription line"})
    quantity = fields.Integer(strict=True, required=True,
                              validate=validate.Range(min=1, max=1000))
    note = fields.String(validate=validate.Length(max=200))


class DispenseBodySchema(Schema):
    class Meta:
        unknown = RAISE

    encounter = fields.String(required=True, metadata={
        "description": "the encounter holding the prescription"})
    items = fields.List(fields.Nested(DispenseItemSchema), required=True,
                        validate=validate.Length(min=1, max=30))


class DispensedItemSchema(Schema):
    index = fields.Integer()
    quantity = fields.Raw()
    note = fields.String(allow_none=True)


class DispensedSchema(Schema):
    id = fields.Integer()
    arrival_id = fields.String()
    entry_id = fields.Integer()
    encounter_id = fields.String()
    items = fields.List(fields.Nested(DispensedItemSchema))
    dispensed_at = fields.String()
    dispensed_by = fields.String()


class PrescribedLineSchema(Schema):
    index = fields.Integer()
    drug = fields.String()
    dose = fields.String()
    quantity = fields.Integer()
    instructions = fields.String()
    dispensed = fields.Integer()
    remaining = fields.Integer()


class PrescribedSchema(Schema):
    encounter = fields.String()
    date = fields.String()
    cluster = fields.String(allow_none=True)
    provider = fields.String(allow_none=True)
    items = fields.List(fields.Nested(PrescribedLineSchema))


class ArrivalPrescriptionsSchema(Schema):
    arrival_id = fields.String()
    person = fields.String()
    prescriptions = fields.List(fields.Nested(PrescribedSchema))
    dispensings = fields.List(fields.Nested(DispensedSchema))
