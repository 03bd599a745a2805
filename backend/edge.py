"""Checks at the edge, before any view: no control characters in the URL, and for every JSON
request body outside /sync, nesting depth and string validity before a view, webargs or
`request.get_json` parse it.

The REST parsers (webargs, Flask) use the standard library, which recurses once per nesting
level and crashes near 1,000 levels, and accepts lone surrogates that no database can store.
/sync bodies go through `backend.sync.http.params.json_body` instead: there a bad string
refuses one document of a batch, not the request (backend/sync/prepare.py).
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

from backend import jsontext
from backend.errors import is_sync

# Ids in URLs (`/users/<int:id>`) fit a 64-bit column; a longer number would overflow the
# database driver (500) instead of simply naming nothing (404).
MAX_URL_INTEGER = 2**63 - 1


class BoundedInt(IntegerConverter):
    """Werkzeug's `int` converter with an upper bound: a larger number does not match."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_URL_INTEGER, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


def check_json_body() -> None:
    """400 (RFC 7807, by backend/errors.py) for a JSON body too deep or with bad strings."""
    if is_sync() or not request.is_json:
        return
    try:
        body = jsontext.loads(request.get_data(cache=True),
                              current_app.config["JSON_MAX_DEPTH"])
    except jsontext.TooDeep as exc:
        abort(400, str(exc))
    except (ValueError, UnicodeDecodeError):
        return  # not JSON at all: the route's parser answers that in its own words
    fault = jsontext.text_fault(body)
    if fault:
        abort(400, f"Invalid text: {fault}")


def check_url_text() -> None:
    """400 for a control character in the path or a query value: no id, date or search
    means one, and PostgreSQL refuses NUL in text outright (a 500 before this check)."""
    values = [request.path, *request.args.keys(),
              *(v for vs in request.args.listvalues() for v in vs)]
    if any(jsontext.has_control(value) for value in values):
        abort(400, "The URL holds a control character.")


def init_app(app: Flask) -> None:
    """Before any blueprint registers: the converter applies to rules as they are added."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(check_url_text)
    app.before_request(check_json_body)
