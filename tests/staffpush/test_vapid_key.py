"""GET /api/v1/push/vapid-key: the key the browser subscribes with, public (the family page)."""

from __future__ import annotations

import base64


def test_the_vapid_public_key_is_served_without_login(client, app):
    response = client.get("/api/v1/push/vapid-key")
    assert response.status_code == 200
    key = response.json["public_key"]
    assert key == app.config["VAPID_PUBLIC_KEY"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 0x04  # what pushManager.subscribe accepts


def test_the_openapi_document_says_it_needs_no_login(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/push/vapid-key"]["get"]
    assert operation["security"] == []
    assert "403" not in operation["responses"]


def test_the_openapi_document_says_what_the_device_calls_answer(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    statuses = {(method, path): {int(s) for s in op["responses"] if s.isdigit() and int(s) >= 400}
                for path, item in paths.items() if path.startswith("/api/v1/push/")
                for method, op in item.items()}
    assert statuses == {
        ("get", "/api/v1/push/vapid-key"): {400, 401, 429},
        ("get", "/api/v1/push/devices"): {400, 401, 429},
        ("post", "/api/v1/push/subscriptions"): {400, 401, 403, 422, 429},
        ("delete", "/api/v1/push/subscriptions"): {400, 401, 403, 404, 422, 429},
        ("post", "/api/v1/push/test"): {400, 401, 403, 422, 429},
        ("get", "/api/v1/push/outbox"): {400, 401, 403, 429},
    }
