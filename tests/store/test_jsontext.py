"""The store's JSON encoder writes exactly what json.dumps wrote, faster, for every value."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backend.demo import generate_documents
from backend.jsontext import dumps


def _stdlib(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_demo_documents_encode_byte_for_byte_as_before():
    docs = generate_documents(0.125, 11, dt.date(2026, 8, 20))
    assert [dumps(d) for d in docs] == [_stdlib(d) for d in docs]


@pytest.mark.parametrize("value", [
    {"name": "Siti \"Ani\" \\ Rahayu\tꦱꦶꦠꦶ 🙂\u2028", "n": 1e16, "f": 0.1, "neg": -0.0},
    {"big": 2**64, "k": [1, 2**80]},          # beyond orjson: the standard library writes it
    {"s": "\ud800"},                          # a lone surrogate json.loads can hand us
    {1: "non-string key"},
    {"deep": [[[{"a": None, "b": True, "c": False}]]], "e": {}, "l": []},
    {"ctl": "\x00\x01\x1f\x7f"},
])
def test_awkward_values_encode_as_the_standard_library_does(value):
    assert dumps(value) == _stdlib(value)
