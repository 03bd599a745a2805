"""Bad input gets a clear JSON error naming the problem; nothing is stored or changed."""

from __future__ import annotations

import pytest

from backend.db import read_transaction
from backend.sync import reads
from tests import factories as f


def store_state():
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


@pytest.fixture
def pustu(login):
    return login("pustu_a")


PERSON = {"desa": f.DESA_A, "name": "Ani", "sex": "P", "birth_date": "2020-02-02"}


@pytest.mark.parametrize(("body", "field"), [
    ({**PERSON, "nik": "12345"}, "nik"),
    ({**PERSON, "nik": "32041957059900011"}, "nik"),
    ({**PERSON, "sex": "W"}, "sex"),
    ({**PERSON, "birth_date": "2999-01-01"}, "birth_date"),
    ({**PERSON, "birth_date": "kemarin"}, "birth_date"),
    ({**PERSON, "name": 42}, "name"),
    ({**PERSON, "desa": "32.04.19.2001"}, "desa"),
    ({**PERSON, "umur": 5}, "umur"),
    ({k: v for k, v in PERSON.items() if k != "name"}, "name"),
])
def test_invalid_person_is_refused_with_the_field_named(pustu, body, field):
    before = store_state()
    response = pustu.post("/api/v1/persons", json=body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]["json"]
    assert field in response.json["detail"]
    assert store_state() == before


def test_unknown_kemendagri_code_is_refused(login):
    before = store_state()
    response = login("admin").post("/api/v1/persons", json={**PERSON, "desa": "3204199999"})
    assert response.status_code == 403
    assert "3204199999" in response.json["detail"]
    assert store_state() == before


def test_malformed_json_is_a_clear_400(pustu):
    response = pustu.client.post("/api/v1/persons", data='{"name": "Ani",',
                                 content_type="application/json", headers=pustu.headers)
    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"


def test_json_that_is_not_an_object_is_refused(pustu):
    response = pustu.post("/api/v1/persons", json=["Ani"])
    assert response.status_code == 422


def test_oversized_body_is_refused_with_413(app, pustu):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = pustu.post("/api/v1/persons", json={**PERSON, "name": "A" * 2000})
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_impossible_measurement_on_an_encounter_is_refused(pustu):
    person = pustu.post("/api/v1/persons", json=PERSON).json
    before = store_state()
    response = pustu.post("/api/v1/encounters", json={
        "desa": f.DESA_A, "person": person["_id"], "date": "2026-01-10", "setting": "pustu",
        "measurements": {"weight_kg": -3, "sbp": 80, "dbp": 120}})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["measurements"]
    assert "weight_kg" in errors and "dbp" in errors
    assert store_state() == before


def test_stale_revision_is_a_409_and_keeps_the_newer_edit(pustu):
    person = pustu.post("/api/v1/persons", json=PERSON).json
    first = pustu.patch(f"/api/v1/persons/{person['_id']}",
                        json={"_rev": person["_rev"], "name": "Ani Baru"})
    stale = pustu.patch(f"/api/v1/persons/{person['_id']}",
                        json={"_rev": person["_rev"], "name": "Ani Lama"})
    assert first.status_code == 200 and stale.status_code == 409
    assert pustu.get(f"/api/v1/persons/{person['_id']}").json["name"] == "Ani Baru"


def test_edit_without_rev_is_refused(pustu):
    person = pustu.post("/api/v1/persons", json=PERSON).json
    response = pustu.patch(f"/api/v1/persons/{person['_id']}", json={"name": "X"})
    assert response.status_code == 422 and "_rev" in response.json["errors"]["json"]


def test_duplicate_username_is_a_409(login):
    admin = login("admin")
    response = admin.post("/api/v1/users", json={
        "username": "pustu_a", "display_name": "Dua", "role": "pustu", "scopes": [f.DESA_A],
        "password": "panjang-sekali"})
    assert response.status_code == 409 and "username" in response.json["errors"]["json"]


def test_user_with_unknown_desa_or_short_password_is_refused(login):
    admin = login("admin")
    unknown = admin.post("/api/v1/users", json={
        "username": "baru", "display_name": "Baru", "role": "pustu", "scopes": ["3204199999"],
        "password": "panjang-sekali"})
    short = admin.post("/api/v1/users", json={
        "username": "baru", "display_name": "Baru", "role": "pustu", "scopes": [f.DESA_A],
        "password": "pendek"})
    assert unknown.status_code == 422 and "scopes" in unknown.json["errors"]["json"]
    assert short.status_code == 422 and "password" in short.json["errors"]["json"]
    assert admin.get("/api/v1/users").json[-1]["username"] != "baru"


def test_wrong_method_answers_405_json(pustu):
    response = pustu.client.delete("/api/v1/places")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"


def test_bad_query_parameter_names_it(pustu):
    response = pustu.get("/api/v1/persons?page=0&nik=12")
    assert response.status_code == 422
    assert {"page", "nik"} <= set(response.json["errors"]["query"])


def test_json_nested_too_deep_is_a_400_problem(pustu):
    before = store_state()
    response = pustu.post("/api/v1/persons", data=b"[" * 5000 + b"]" * 5000,
                          content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "nested deeper than 64" in response.json["detail"]
    assert store_state() == before


def test_depth_limit_is_a_setting(app, pustu):
    app.config["JSON_MAX_DEPTH"] = 3
    response = pustu.post("/api/v1/persons", json={**PERSON, "x": [[[1]]]})
    assert response.status_code == 400 and "3 levels" in response.json["detail"]


@pytest.mark.parametrize("name", ["a\ud800b", "\udfff", "Ani\x00", "Ani\x1b[31m"])
def test_lone_surrogate_or_control_character_in_a_rest_body_is_a_400(pustu, name):
    before = store_state()
    response = pustu.post("/api/v1/persons", json={**PERSON, "name": name})
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "name" in response.json["detail"]
    assert store_state() == before


@pytest.mark.parametrize("url", [
    "/api/v1/persons?page=99999999999999999999", "/api/v1/households?page=10000001",
    "/api/v1/tasks?page_size=99999999999999999999", "/api/v1/encounters?page=-1",
])
def test_absurd_page_numbers_are_refused(pustu, url):
    response = pustu.get(url)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1800-01-01"])
def test_due_list_for_an_impossible_date_is_a_422(pustu, day):
    person = pustu.post("/api/v1/persons", json=PERSON).json
    response = pustu.get(f"/api/v1/persons/{person['_id']}/due?date={day}")
    assert response.status_code == 422
    assert "date" in response.json["errors"]["query"]


def test_rest_reference_must_be_a_uuid_id(pustu):
    response = pustu.post("/api/v1/persons", json={**PERSON, "household": "household:1"})
    assert response.status_code == 422 and "household" in response.json["errors"]["json"]


@pytest.mark.parametrize("url", ["/api/v1/places?desa=%00", "/api/v1/persons/person:%00abc",
                                 "/api/v1/persons?q=Ani%1b"])
def test_control_character_in_the_url_is_a_400(pustu, url):
    response = pustu.get(url)
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_huge_integer_in_a_url_names_nothing(login):
    response = login("admin").get("/api/v1/users/123456789012345678901234567")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
