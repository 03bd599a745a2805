"""The OpenAPI document: how to authenticate, and which errors each operation may answer.

Every error under /api is an RFC 7807 problem (backend/errors.py), so the spec says so with
one `Problem` schema served as `application/problem+json`. The statuses an operation may answer
follow from what it is (a write, an item path, a login), decided here once, so an endpoint
added later is documented like the others without a decorator to forget. The CSRF header and
the session cookie are security schemes, so Swagger UI's "Authorize" can send writes.
"""

from __future__ import annotations

import http
import threading

from apispec import APISpec, BasePlugin
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from backend.auth import CSRF_HEADER

PROBLEM = "application/problem+json"
UNSAFE = {"post", "put", "patch", "delete"}
LOGIN = ("post", "/api/v1/auth/login")
# Operations that need no login: reference data every subscribing page (the family's too) reads.
PUBLIC = {("get", "/api/v1/push/vapid-key")}
# Operations open to every logged-in user: they never answer 403.
OPEN_TO_ALL = {("get", "/api/v1/places"), ("get", "/api/v1/places/{doc_id}"),
               ("get", "/api/v1/auth/me"), ("post", "/api/v1/auth/logout"),
               # one's own push devices (a write still answers 403 without the CSRF header)
               ("get", "/api/v1/push/devices"), ("post", "/api/v1/push/subscriptions"),
               ("delete", "/api/v1/push/subscriptions"), ("post", "/api/v1/push/test")}
READ_SECURITY = [{"session": []}, {"basic": []}]
WRITE_SECURITY = [{"session": [], "csrf": []}, {"basic": []}]


class ProblemSchema(Schema):
    """RFC 7807 problem details, as every error under /api is answered."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Forbidden"})
    status = fields.Integer(metadata={"example": 403})
    detail = fields.String(metadata={"description": "what went wrong, for a person to read"})
    errors = fields.Dict(metadata={
        "description": "failing fields by location (json, query): field → messages"})
    request_id = fields.String(metadata={"description": "quote it when reporting a fault"})


def error_statuses(method: str, path: str, operation: dict) -> list[int]:
    """The 4xx statuses `method path` may answer, from what kind of operation it is."""
    # 400: a URL or body the edge refuses (control characters, nesting); 429: HTTP Basic
    # credentials of an account or address locked by the login limits (docs/security.md).
    statuses = {400, 401, 429}
    if (method, path) == LOGIN:
        return [400, 401, 422, 429]
    if (method, path) in PUBLIC:
        return sorted(statuses)  # 401/429 only for HTTP Basic credentials that fail
    if (method, path) not in OPEN_TO_ALL:
        statuses.add(403)  # a role or area rule, or (writes) a missing CSRF header
    if method in UNSAFE:
        statuses |= {400, 403}  # malformed JSON; CSRF
    if "{" in path:
        statuses.add(404)
    if method in {"patch", "put"}:
        statuses.add(409)  # edited since read (`_rev`)
    if "requestBody" in operation or "parameters" in operation or method in UNSAFE:
        statuses.add(422)
    return sorted(statuses)


class ProblemResponsesPlugin(BasePlugin):
    """Adds the error responses and the security requirement to every operation."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, path, operation):
                responses.setdefault(str(status), _STATUS_NAMES[status])
            for status, response in responses.items():
                # An error described in a view (`alt_response(409, description=…)`) is a
                # problem too, whatever the view forgot to say about its body.
                if str(status).isdigit() and int(status) >= 400 and isinstance(response, dict):
                    response.setdefault("content", {PROBLEM: {"schema": "Problem"}})
            if (method, path) == LOGIN or (method, path) in PUBLIC:
                operation["security"] = []  # login, and what needs no login
            else:
                operation["security"] = WRITE_SECURITY if method in UNSAFE else READ_SECURITY


_STATUS_NAMES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
                 409: "CONFLICT", 422: "UNPROCESSABLE_ENTITY", 429: "TOO_MANY_REQUESTS"}


class SiklusApi(Api):
    """flask-smorest's Api with problem+json errors, documenting its blueprints' views when
    the document is first read (`spec`): building it took half of `create_app`, which every
    test, worker and gunicorn process pays and few ever serve /api/v1/openapi.json."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple[Blueprint, str, list | None]] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec:
        """The OpenAPI document, with every blueprint registered so far in it."""
        with self._documenting:
            while self._undocumented:
                blp, name, parameters = self._undocumented.pop(0)
                # What flask-smorest's register_blueprint does after registering the routes.
                blp.register_views_in_doc(self, self._app, self._spec, name=name,
                                          parameters=parameters)
                self._spec.tag({"name": name, "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, value: APISpec) -> None:
        self._spec = value

    def register_blueprint(self, blp: Blueprint, *, parameters: list | None = None,
                           **options) -> None:
        """flask-smorest's, with the views documented later, in the same order (`spec`)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_responses(self):
        # flask-smorest registers a response per HTTP status as application/json; ours are
        # problems. Lazy: only those an operation names appear in the document.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def security_schemes(api: Api, cookie_name: str) -> None:
    """Session cookie plus CSRF header (browsers, Swagger UI), or HTTP Basic (scripts)."""
    components = api.spec.components
    components.security_scheme("session", {
        "type": "apiKey", "in": "cookie", "name": cookie_name,
        "description": "Set by POST /auth/login (HttpOnly; the browser sends it)."})
    components.security_scheme("csrf", {
        "type": "apiKey", "in": "header", "name": CSRF_HEADER,
        "description": "The `csrf_token` of POST /auth/login or GET /auth/me; required on "
                       "every write made with the session cookie."})
    components.security_scheme("basic", {"type": "http", "scheme": "basic"})
