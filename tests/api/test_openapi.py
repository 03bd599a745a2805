"""The OpenAPI document: security schemes Swagger UI can use, errors as problem+json."""

from __future__ import annotations

import pytest

from backend.api.openapi import PROBLEM

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in WRITES | {"get"}:
                yield method, path, operation


def resolve(spec, response: dict) -> dict:
    if "$ref" in response:
        return spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_the_csrf_header_and_the_session_cookie_are_security_schemes(spec, app):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["csrf"] == {**schemes["csrf"], "type": "apiKey", "in": "header",
                               "name": "X-CSRF-Token"}
    assert schemes["session"]["in"] == "cookie"
    assert schemes["session"]["name"] == app.config["SESSION_COOKIE_NAME"]


def test_every_write_with_the_session_also_requires_the_csrf_header(spec):
    writes = [(m, p, op) for m, p, op in operations(spec) if m in WRITES]
    assert len(writes) >= 8
    for method, path, operation in writes:
        if path == "/api/v1/auth/login":
            assert operation["security"] == [], "login is the one public operation"
            continue
        with_session = [req for req in operation["security"] if "session" in req]
        assert with_session and all("csrf" in req for req in with_session), (method, path)


def test_every_operation_names_its_security(spec):
    for method, path, operation in operations(spec):
        assert "security" in operation, (method, path)


def test_every_error_response_is_a_problem(spec):
    assert {"type", "title", "status", "detail"} <= set(
        spec["components"]["schemas"]["Problem"]["properties"])
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status == "default" or int(status) >= 400:
                content = resolve(spec, response)["content"]
                assert list(content) == [PROBLEM], (method, path, status)
                assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("get", "/api/v1/persons", {400, 401, 403, 422, 429}),
    ("patch", "/api/v1/persons/{doc_id}", {400, 401, 403, 404, 409, 422, 429}),
    ("get", "/api/v1/places", {400, 401, 422, 429}),
    ("post", "/api/v1/auth/login", {400, 401, 422, 429}),
    ("get", "/api/v1/audit", {400, 401, 403, 422, 429}),
])
def test_operations_document_the_errors_they_answer(spec, method, path, expected):
    responses = spec["paths"][path][method]["responses"]
    assert {int(s) for s in responses if s != "default" and int(s) >= 400} == expected


def test_every_item_path_documents_not_found(spec):
    for method, path, operation in operations(spec):
        if "{" in path:
            assert "404" in operation["responses"], (method, path)
