"""Errors as JSON: RFC 7807 problem details under /api, CouchDB `{error, reason}` under /sync.

No request ever gets Flask's HTML error page: unknown URLs, wrong methods, oversized bodies
and crashes all answer in the shape the caller's client understands.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from backend import request_ids
from backend.documents.schemas import describe_errors
from backend.flow.errors import FlowError

# CouchDB names for HTTP statuses, as its clients (PouchDB) expect them.
COUCH_ERRORS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 412: "file_exists",
                413: "too_large", 415: "bad_content_type", 429: "too_many_requests",
                500: "internal_server_error"}


def couch_error(status: int, reason: str, error: str | None = None) -> Response:
    response = jsonify(error=error or COUCH_ERRORS.get(status, "unknown_error"), reason=reason)
    response.status_code = status
    return response


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def is_sync() -> bool:
    return request.path == "/sync" or request.path.startswith("/sync/")


def _handle_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    if is_sync():
        response = couch_error(status, exc.description or exc.name)
    else:
        data = getattr(exc, "data", None) or {}
        detail = data.get("message") or exc.description
        extra = {}
        if "messages" in data:  # webargs validation: name every failing field in the detail
            extra["errors"] = data["messages"]
            detail = describe_errors(data["messages"])
        elif "errors" in data:
            extra["errors"] = data["errors"]
        response = problem(status, exc.name, detail, **extra)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _handle_crash(exc: Exception) -> Response:
    """Log the traceback under the request id; the client learns the id and nothing internal."""
    request_id = request_ids.current()
    current_app.logger.error("Unhandled exception, request_id=%s: %s %s", request_id,
                             request.method, request.path, exc_info=exc)
    response = _handle_http(InternalServerError(
        f"The server failed to handle this request (request id {request_id})."))
    body = response.get_json()
    response.set_data(current_app.json.dumps({**body, "request_id": request_id}))
    return response


def _handle_flow(exc: FlowError) -> Response:
    """A refused step of the Puskesmas flow: its message for the desk and a stable `code`."""
    return problem(exc.status, HTTP_STATUS_CODES.get(exc.status, "Error"), exc.message,
                   code=exc.code)


def init_app(app: Flask) -> None:
    request_ids.init_app(app)
    app.register_error_handler(FlowError, _handle_flow)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_crash)
