"""Server and database endpoints, authentication, and CouchDB-shaped errors everywhere."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.sync.conftest import DB, SyncClient


def test_server_info_has_a_stable_uuid_and_needs_no_login(couch):
    first, second = couch(None).get("/sync/"), couch("pustu_a").get("/sync/")
    assert first.status_code == 200 and first.json["couchdb"] == "Welcome"
    assert first.json["uuid"] == second.json["uuid"] and len(first.json["uuid"]) == 32


@pytest.mark.parametrize("path", [DB, DB + "/"])
def test_db_info_answers_with_and_without_trailing_slash(couch, path):
    response = couch("pustu_a").get(path)
    assert response.status_code == 200
    assert response.json["db_name"] == "siklus"
    assert response.json["update_seq"] == 3 and response.json["doc_count"] == 3  # the places


def test_creating_the_existing_database_answers_file_exists(couch):
    response = couch("admin").put("/")
    assert response.status_code == 412 and response.json["error"] == "file_exists"


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_other_database_names_are_not_found(couch, method):
    response = couch("pustu_a").open(method, "/sync/_users")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "reason": "Database does not exist."}


@pytest.mark.parametrize(("method", "path"), [
    ("GET", ""), ("GET", "/_changes"), ("POST", "/_bulk_docs"), ("GET", "/_local/x"),
    ("GET", "/sync/_users")])
def test_anonymous_requests_are_unauthorized_in_couchdb_shape(couch, method, path):
    response = couch(None).open(method, path, json={"docs": []})
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.content_type == "application/json"
    assert "WWW-Authenticate" not in response.headers  # no browser password dialog in the PWA


def test_wrong_basic_password_is_unauthorized(app, world):
    response = SyncClient(app, "admin", basic=True, password="salah-sandi-1").get()
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_dinkes_sees_aggregates_only_and_may_not_replicate(couch):
    response = couch("dinkes").get("/_changes")
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_cookie_write_without_csrf_token_is_forbidden(couch):
    client = couch("pustu_a")
    response = client.post("/_bulk_docs", json={"docs": [f.person()]},
                           headers={"X-CSRF-Token": "wrong"})
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_unknown_urls_and_methods_answer_json_not_html(couch):
    client = couch("pustu_a")
    missing = client.get("/sync/siklus/person:x/a/b")
    wrong_method = client.delete("/")
    assert missing.status_code == 404 and missing.json["error"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json["error"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]


def test_unsupported_underscore_endpoints_are_not_found(couch):
    response = couch("pustu_a").get("/_all_docs")
    assert response.status_code == 404 and response.json["error"] == "not_found"


def test_oversized_request_body_is_too_large(app, couch):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = couch("pustu_a").bulk([f.person(notes="x" * 2000)])
    assert response.status_code == 413 and response.json["error"] == "too_large"


def test_ensure_full_commit_is_accepted(couch):
    response = couch("admin", basic=True).post("/_ensure_full_commit")
    assert response.status_code == 201 and response.json["ok"] is True
