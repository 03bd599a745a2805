"""Compact JSON text, the one encoding the document store writes and /sync answers in.

orjson writes the same text as `json.dumps(value, separators=(",", ":"),
ensure_ascii=False)` (insertion order, UTF-8, shortest float repr) about five times faster,
and a push encodes every document twice (its body and its revision tree). What orjson does
not take (integers beyond 64 bits, lone surrogates, non-string keys) goes to the standard
library, so every value that encoded before still encodes the same way. Request bodies never
carry NaN or Infinity (backend/sync/http/params.py refuses them: they are not JSON), so the
one place the two encoders differ never arises.
"""

from __future__ import annotations

import json

import orjson


def dumps(value: object) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
