"""Query-string and body parsing with CouchDB's conventions and error names."""

from __future__ import annotations

from flask import request

from backend import jsontext
from backend.sync.prepare import DocError
from backend.sync.reads import ReadOptions


def bad_request(reason: str) -> DocError:
    return DocError("bad_request", reason, status=400)


def flag(name: str, default: bool = False) -> bool:
    """CouchDB booleans are the JSON words `true`/`false` in the query string."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() in {"true", "1"}:
        return True
    if raw.lower() in {"false", "0"}:
        return False
    raise bad_request(f"Invalid boolean parameter {name}={raw!r}")


def integer(name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Invalid integer parameter {name}={raw!r}") from None
    if value < minimum:
        raise bad_request(f"{name} must be at least {minimum}")
    return value


def json_arg(name: str) -> object:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return jsontext.loads(raw)
    except ValueError:
        raise bad_request(f"Parameter {name} is not valid JSON") from None


def json_body(kind: type = dict) -> object:
    """The request body as JSON of the expected kind; 400 for truncated or non-JSON bodies."""
    try:
        body = jsontext.loads(request.get_data(cache=False) or b"null")
    except (ValueError, UnicodeDecodeError):
        raise bad_request("invalid UTF-8 JSON") from None
    if not isinstance(body, kind):
        raise bad_request(f"Request body must be a JSON {'object' if kind is dict else 'array'}")
    return body


def read_options(**overrides: bool) -> ReadOptions:
    opts = {name: flag(name) for name in ("revs", "conflicts", "attachments", "latest")}
    return ReadOptions(**(opts | overrides))
