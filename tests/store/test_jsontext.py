"""The store's JSON encoder writes exactly what json.dumps wrote, faster, for every value."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backend.demo import generate_documents
from backend.jsontext import dumps, loads


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


@pytest.mark.parametrize("text", [
    b'{"name": "Siti \\"Ani\\" \\u00e9 \xea\xa6\xb1", "n": 1e16, "f": 0.1, "neg": -0.0}',
    b'{"s": "\\ud800"}',                         # a lone surrogate: the standard library's
    b'{"a": 1, "a": 2}', b'[1, -9223372036854775808, 9223372036854775807, 18446744073709551615]',
    b'{"deep": [[[{"a": null, "b": true, "c": false}]]], "e": {}, "l": []}',
])
def test_json_reads_as_the_standard_library_reads_it(text):
    assert loads(text) == json.loads(text)


@pytest.mark.parametrize("text", [
    b"NaN", b'{"x": -Infinity}', b"[1e400]", b'{"a": 1', b"\xff\xfe{}", b"", b"nul", b"'a'"])
def test_what_is_not_json_is_refused(text):
    with pytest.raises(ValueError):
        loads(text)
