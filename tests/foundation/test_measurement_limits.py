"""The document schema and the clinical evaluators refuse the same impossible measurements.

Both keep the ranges (the schema guards every write, the evaluators guard their own input);
this test is what keeps the two copies equal.
"""

from __future__ import annotations

import json

from marshmallow import validate

from backend.documents.schemas import MeasurementsSchema
from backend.settings import PROJECT_ROOT


def test_schema_ranges_equal_the_clinical_input_limits():
    limits = json.loads((PROJECT_ROOT / "config/ilp/classifiers.json").read_text())["input_limits"]
    for name, field in MeasurementsSchema().fields.items():
        ranges = [v for v in field.validators if isinstance(v, validate.Range)]
        if not ranges:
            continue
        assert name in limits, f"{name} has a schema range but no clinical input limit"
        assert [ranges[0].min, ranges[0].max] == limits[name], name
