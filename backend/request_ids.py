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
_SANE = re.compile(r"^[A-Za-z0-9._:@+=/-]{8,128}$")


def current() -> str | None:
    """The id of the request being handled (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex
    return g.request_id


def _assign() -> None:
    current()  # before anything logs: the id exists from the request's first line of code


def _echo(response: Response) -> Response:
    response.headers[HEADER] = current()
    return response


def init_app(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_echo)
