"""Every response carries a request id; a crash is logged with its traceback under that id,
and the error body (problem+json or CouchDB) names the same id."""

from __future__ import annotations

import logging

import pytest

from backend.sync import reads


def _boom(*args, **kwargs):
    raise RuntimeError("disk on fire")


@pytest.fixture
def crashing_server_info(monkeypatch):
    monkeypatch.setattr(reads, "server_uuid", _boom)


def test_crash_under_sync_is_logged_with_traceback_and_id(client, crashing_server_info, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/sync/")
    assert response.status_code == 500
    assert response.json["error"] == "internal_server_error"
    request_id = response.json["request_id"]
    assert response.headers["X-Request-Id"] == request_id
    assert "disk on fire" not in response.get_data(as_text=True)
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.exc_info and "disk on fire" in str(record.exc_info[1])
    assert "Traceback" in caplog.text and "_boom" in caplog.text


def test_crash_under_api_is_a_problem_with_the_id(app, login, monkeypatch, caplog):
    from backend.api import documents  # noqa: PLC0415

    monkeypatch.setattr(documents, "paginate", _boom)
    with caplog.at_level(logging.ERROR):
        response = login("pustu_a").get("/api/v1/persons")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    request_id = response.json["request_id"]
    assert request_id in response.json["detail"]
    assert response.headers["X-Request-Id"] == request_id
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/sync/", headers={"X-Request-Id": "nginx-7f3a9c01d2e4"})
    assert response.headers["X-Request-Id"] == "nginx-7f3a9c01d2e4"


@pytest.mark.parametrize("incoming", ["", "short", "x" * 500, "a b c d e f g h", "evil\x01id1234"])
def test_an_odd_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/sync/", headers={"X-Request-Id": incoming})
    assert response.headers["X-Request-Id"] != incoming
    assert len(response.headers["X-Request-Id"]) == 32


def test_every_response_has_a_fresh_id(client):
    ids = {client.get(url).headers["X-Request-Id"] for url in ("/sync/", "/nowhere", "/sync/")}
    assert len(ids) == 3
