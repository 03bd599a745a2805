"""The compiled fast path of validation decides exactly as marshmallow does.

Seeds are real documents (the demo generator covers every type and every nested part); each
example damages one of them somewhere (a value replaced by another JSON value, a key dropped
or added) and both validators must agree. Agreement both ways: accepting what marshmallow
refuses would store invalid documents; refusing what it accepts would only cost speed, but
the strict JSON types make the two exact, and this keeps them so.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields, pre_load, validates, validates_schema

from backend.demo import generate_documents
from backend.documents.derived_ids import posyandu_visit_id
from backend.documents.fast_validation import compile_schema
from backend.documents.schemas import _ACCEPTS, _INSTANCES, validate_document


def _seeds() -> list[dict]:
    """Up to 25 documents per type, the ones with the most parts first."""
    docs = generate_documents(0.125, 7, dt.date(2026, 8, 20))
    by_type: dict[str, list[dict]] = {}
    for doc in sorted(docs, key=lambda d: -len(json.dumps(d))):
        by_type.setdefault(doc["type"], []).append(doc)
    extra = [  # types the demo does not generate
        {"_id": "subscription_consent:0c1d7e2a-4b5c-4d6e-8f70-8192a3b4c5d6",
         "type": "subscription_consent", "schema": 1,
         "desa": "3204190001", "created_at": "2026-08-01T09:00:00+07:00", "created_by": "bidan",
         "household": "household:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
         "person": "person:3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
         "invite": "subscription_invite:5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
         "given_at": "2026-08-01T09:00:00+07:00", "given_by": "Ibu Siti",
         "field_ts": {"given_by": "2026-08-01T09:00:00+07:00"}},
        {"_id": "subscription_invite:5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
         "type": "subscription_invite", "schema": 1,
         "desa": "3204190001", "created_at": "2026-08-01T08:55:00+07:00", "created_by": "kader",
         "household": "household:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
         "token_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         "expires_at": "2026-08-31T08:55:00+07:00", "used_at": "2026-08-01T09:00:00+07:00",
         "field_ts": {"used_at": "2026-08-01T09:00:00+07:00"}},
        {"_id": "ilp_config:018f3c1e-7b2a-7c3d-9e4f-0a1b2c3d4e5f", "type": "ilp_config",
         "schema": 1, "desa": None,
         "created_at": "2026-08-01T09:00:00Z", "created_by": "admin", "version": "1.0.0",
         "files": {"manifest.json": {"version": "1.0.0"}, "n": 3}},
        _visit_seed()]
    return [doc for group in by_type.values() for doc in group[:25]] + extra


def _visit_seed() -> dict:
    """A Posyandu visit with every part (the demo writes finished encounters, not visits)."""
    session = "posyandu_session:4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
    person = "person:3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
    stamp = "2026-08-10T09:15:00+07:00"
    return {
        "_id": posyandu_visit_id(session, person), "type": "posyandu_visit", "schema": 1,
        "desa": "3204190001", "created_at": "2026-08-10T08:40:00+07:00", "created_by": "kader",
        "updated_at": stamp, "updated_by": "kader2", "posyandu_session": session,
        "person": person, "date": "2026-08-10",
        "measurements": {"weight_kg": 9.5, "height_cm": 76.0, "length_or_height": "lying"},
        "immunizations": {"dpt_hb_hib_2": {"vaccine": "dpt_hb_hib", "dose": 2,
                                           "date": "2026-08-10", "timing": "ideal"}},
        "services": ["vitamin_a"], "counselling": ["mpasi"], "notes": "Rewel",
        "screenings": {"srq20": {"instrument": "srq20", "answers": {"1": True}, "score": 7,
                                 "result": "kemungkinan_masalah", "label": "Kemungkinan",
                                 "refer": True}},
        "referral": {"to": "Pustu", "reason": "Berat badan tidak naik", "urgent": False},
        "done_ukur": stamp, "done_catat": stamp, "done_layanan": stamp,
        "done_penyuluhan": stamp, "field_ts": {"done_layanan": stamp}}


SEEDS = _seeds()
TODAY = dt.date.today()

# JSON values a tablet (or a broken client) could send, biased towards near-misses: numbers
# as strings, booleans as strings or 0/1, dates and timestamps slightly wrong, huge numbers.
NEAR_MISSES = st.sampled_from([
    "3", "52.5", "true", "false", "off", 0, 1, 1.0, 3.7, -1, 10**400, 2**63, 1e308, 0.29,
    "", " ", "2024-02-30", "2024-2-3", "20240203", (TODAY + dt.timedelta(days=3)).isoformat(),
    TODAY.isoformat(), "2025-01-01T08:00:00", "2025-01-01T08:00:00Z", "2025-01-01T08:00:00+07:00",
    "3204190001", "3204190001\n", "320419000", "person:abc", "place:x y", "I10", "E11.9", "e11",
    "L", "P", "kepala", "posyandu", "ongoing", "Y", "N", None, [], {}, [None], {"a": 1},
    "x" * 121, "x" * 2001, "+628123456789", "08123", math.nan, math.inf])
# Copied on every draw: sampled_from hands out the same `{}` and `[]` objects each time, and
# a damaged document may add to them (which made later examples differ from their replays).
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
    | NEAR_MISSES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=6).map(copy.deepcopy)


def _paths(value, prefix=()):
    """Every (container path, key) inside a document, nested dicts and lists included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix, key
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield prefix, index
            yield from _paths(item, (*prefix, index))


@st.composite
def damaged(draw) -> tuple[str, dict]:
    """A seed's type and a damaged copy of it (its `type` field may be damaged too)."""
    seed = draw(st.sampled_from(SEEDS))
    doc = json.loads(json.dumps(seed))
    for _ in range(draw(st.integers(1, 2))):
        prefix, key = draw(st.sampled_from(list(_paths(doc))))
        container = doc
        for step in prefix:
            container = container[step]
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "replace":
            container[key] = draw(JSON)
        elif action == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=8))] = draw(JSON)
        else:
            container.append(draw(JSON))
    return seed["type"], doc


def _both(doc: dict, doc_type: str | None = None) -> tuple[bool, bool]:
    doc_type = doc_type or doc["type"]
    return _ACCEPTS[doc_type](doc), _INSTANCES[doc_type].validate(doc) == {}


def test_every_seed_takes_the_fast_path():
    assert {d["type"] for d in SEEDS} == set(_INSTANCES)
    assert [d["_id"] for d in SEEDS if _both(d) != (True, True)] == []


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_fast_path_and_marshmallow_agree_on_damaged_documents(example):
    doc_type, doc = example
    fast, slow = _both(doc, doc_type)
    assert fast == slow, _INSTANCES[doc_type].validate(doc)


@pytest.mark.parametrize(("field", "value"), [
    ("sbp", "120"), ("sbp", 120.5), ("sbp", True), ("weight_kg", "12.5"), ("weight_kg", None),
    ("oedema", "false"), ("oedema", 0), ("weight_kg", math.nan), ("sbp", 10**400)])
def test_coercible_values_are_refused_with_a_message(field, value):
    """Strict JSON types: what marshmallow would coerce is an error, named by field."""
    doc = next(d for d in SEEDS if d["type"] == "encounter" and d.get("measurements"))
    doc = {**doc, "measurements": {"sbp": 120, "dbp": 80, field: value}}
    errors = validate_document(doc)
    assert field in errors.get("measurements", {}), errors


def test_schema_hooks_run_on_the_fast_path():
    doc = next(d for d in SEEDS if d["type"] == "encounter")
    assert validate_document({**doc, "measurements": {"sbp": 80, "dbp": 90}}) == {
        "measurements": {"dbp": ["diastolic must be below systolic"]}}
    assert "_id" in validate_document({**doc, "_id": "person:" + doc["_id"].split(":")[1]})


class _WithFieldHook(Schema):
    name = fields.String()

    @validates("name")
    def _check(self, value, **kwargs):
        raise ValidationError("no")


class _WithPreLoad(Schema):
    name = fields.String()

    @pre_load
    def _strip(self, data, **kwargs):
        return data


class _WithCollectionHook(Schema):
    name = fields.String()

    @validates_schema(pass_collection=True)
    def _check(self, data, **kwargs):
        pass


@pytest.mark.parametrize("schema", [_WithFieldHook, _WithPreLoad, _WithCollectionHook])
def test_features_it_cannot_compile_fail_loudly(schema):
    schema.Meta = type("Meta", (), {"unknown": "raise"})
    with pytest.raises(TypeError):
        compile_schema(schema())


def test_a_tuple_field_fails_loudly():
    class WithTuple(Schema):
        pair = fields.Tuple((fields.String(), fields.String()))

    with pytest.raises(TypeError):
        compile_schema(WithTuple())
