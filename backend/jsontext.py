"""JSON text in and out: request bodies of /sync, and the compact text the store writes.

orjson writes the same text as `json.dumps(value, separators=(",", ":"),
ensure_ascii=False)` (insertion order, UTF-8, shortest float repr) about five times faster,
and a push encodes every document twice (its body and its revision tree). What orjson does
not take (integers beyond 64 bits, lone surrogates, non-string keys) goes to the standard
library, so every value that encoded before still encodes the same way. Request bodies never
carry NaN or Infinity (backend/sync/http/params.py refuses them: they are not JSON), so the
one place the two encoders differ never arises.

`loads` reads request bodies with orjson too (a 200-document `_bulk_docs` body: 0.3 ms
instead of 2 ms). What it refuses goes to the standard library, which decides: it takes lone
surrogate escapes, and refuses NaN, Infinity and numbers that overflow to infinity (RFC 8259
has none of them, nor has PouchDB). One difference remains, and is accepted: orjson reads an
integer beyond 64 bits as a float. The only clients are JavaScript, whose numbers are doubles,
so both readings are the same number to them.

Nesting is bounded before either parser runs (`max_depth`): the standard library recurses
once per level and dies of RecursionError near 1,000, orjson stops at 1,024, and no document
of this product comes near 10 levels. `text_fault` finds what JSON may carry but the store must
not: lone surrogates (no UTF-8 encoding exists for them, so PostgreSQL and orjson refuse the
document later, and PouchDB would resend it on every push) and control characters.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate

import orjson

DEFAULT_MAX_DEPTH = 64

# A JSON string, unrolled so long strings cost no backtracking; what is left are the brackets.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
_NOT_BRACKETS = bytes(b for b in range(256) if not _STEP[b])
# Lone surrogates anywhere; C0 controls and DEL except tab, newline and carriage return.
_BAD_TEXT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# How orjson writes such characters (a backslash before `b` or `f` may be an escaped
# backslash: a false alarm only costs the exact walk).
_ENCODED_CONTROL = re.compile(rb"\\u00[01][0-9a-f]|\\[bf]|\x7f")


class TooDeep(ValueError):
    """JSON nested deeper than the limit."""


def loads(text: bytes | str, max_depth: int = DEFAULT_MAX_DEPTH) -> object:
    """Parse JSON; ValueError (or UnicodeDecodeError) for anything that is not JSON, TooDeep
    (a ValueError) when arrays and objects nest deeper than `max_depth`."""
    check_depth(text, max_depth)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_constant=_not_json, parse_float=_finite)


def check_depth(text: bytes | str, max_depth: int) -> None:
    """Raise TooDeep if brackets outside strings nest deeper than `max_depth`."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return  # the common case: too few brackets to be too deep, nothing to scan
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    if max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > max_depth:
        raise TooDeep(f"JSON is nested deeper than {max_depth} levels")


def text_fault(value: object) -> str | None:
    """Where a string (or key) of a parsed JSON value holds a lone surrogate or a control
    character other than tab, newline or carriage return; None when every string is clean."""
    try:
        encoded = orjson.dumps(value)  # C speed; refuses lone surrogates
    except TypeError:
        return _walk(value, "")
    return _walk(value, "") if _ENCODED_CONTROL.search(encoded) else None


def _walk(value: object, path: str) -> str | None:
    if isinstance(value, str):
        return _describe(path, value) if _BAD_TEXT.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _BAD_TEXT.search(key):
            return _describe(f"a key of {path or 'the value'}", key)
        where = f"{path}.{key}" if path else str(key)
        fault = _walk(item, where)
        if fault:
            return fault
    return None


def has_control(text: str) -> bool:
    """True when `text` holds any C0 control character or DEL (none belongs in an id)."""
    return _CONTROL.search(text) is not None


def _describe(path: str, text: str) -> str:
    char = _BAD_TEXT.search(text).group()
    kind = "a lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else "a control character"
    return f"{path or 'the value'} contains {kind} (U+{ord(char):04X})"


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise ValueError(f"{text} overflows a double")
    return value


def dumps(value: object) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
