"""Query-string and body parsing with CouchDB's conventions and error names."""

from __future__ import annotations

from flask import current_app, request

from backend import jsontext
from backend.sync import revtree
from backend.sync.prepare import DocError
from backend.sync.reads import ReadOptions

# The largest integer JavaScript holds exactly; sequences, limits and timeouts stay far below.
# Beyond it a number is an attack or a bug, and beyond 2**63 the database itself overflows.
MAX_INTEGER = 2**53 - 1


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
    return bounded_int(name, raw, minimum)


def bounded_int(name: str, raw: str, minimum: int = 0) -> int:
    """`raw` as an integer in [minimum, MAX_INTEGER]; 400 naming `name` otherwise."""
    if len(raw) > 20:
        raise bad_request(f"{name} is too large")  # before int(): no 4,300-digit parses
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Invalid integer parameter {name}={raw!r}") from None
    if value < minimum:
        raise bad_request(f"{name} must be at least {minimum}")
    if value > MAX_INTEGER:
        raise bad_request(f"{name} must be at most {MAX_INTEGER}")
    return value


def json_arg(name: str) -> object:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return jsontext.loads(raw, current_app.config["JSON_MAX_DEPTH"])
    except jsontext.TooDeep as exc:
        raise bad_request(f"Parameter {name}: {exc}") from None
    except ValueError:
        raise bad_request(f"Parameter {name} is not valid JSON") from None


def json_body(kind: type = dict) -> object:
    """The request body as JSON of the expected kind; 400 for truncated or non-JSON bodies."""
    try:
        body = jsontext.loads(request.get_data(cache=False) or b"null",
                              current_app.config["JSON_MAX_DEPTH"])
    except jsontext.TooDeep as exc:
        raise bad_request(str(exc)) from None
    except (ValueError, UnicodeDecodeError):
        raise bad_request("invalid UTF-8 JSON") from None
    if not isinstance(body, kind):
        raise bad_request(f"Request body must be a JSON {'object' if kind is dict else 'array'}")
    return body


def check_rev(rev: str) -> None:
    """400 `bad_request` for a revision that is not `<generation>-<hash>`, as CouchDB."""
    try:
        revtree.parse_rev(rev)
    except revtree.InvalidRevision as exc:
        raise bad_request(str(exc)[:200]) from None


def read_options(**overrides: bool) -> ReadOptions:
    opts = {name: flag(name) for name in ("revs", "conflicts", "attachments", "latest")}
    return ReadOptions(**(opts | overrides))
