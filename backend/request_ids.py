"""A request id on every request: taken from the reverse proxy's `X-Request-Id` when it is
sane, otherwise made here; echoed in the response header, the log and every crash body.

An operator handed an error body by a user finds the same id in the application log (with the
traceback) and in the proxy's access log, so one incident is one grep. The audit trail reads
`g.request_id` too (backend/audit/trail.py).
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-Id"
# What nginx's $request_id, a uuid or a load balancer's trace id look like; anything else
# (too long, control characters, spaces) is replaced rather than copied into the log.
_SANE = re.compile(r"^[A-Za-z0-9._:@+=/-]{8,128}\Z")
_ENVIRON_KEY = "siklus.request_id"


def current() -> str | None:
    """The id of the request being handled (None outside a request)."""
    if not has_request_context():
        return None
    # Kept on the WSGI environ, which lives exactly as long as the request (`g` belongs to
    # the app context, which a test or CLI command may hold across several requests).
    request_id = request.environ.get(_ENVIRON_KEY)
    if request_id is None:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex
        request.environ[_ENVIRON_KEY] = request_id
    return request_id


def _assign() -> None:
    g.request_id = current()  # before anything logs; backend/audit/trail.py reads it


def _echo(response: Response) -> Response:
    response.headers[HEADER] = current()
    return response


def init_app(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_echo)
