"""Nobody is let in: a user of desa A gets nothing of desa B through any endpoint."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.db import write_transaction
from backend.writes import save_docs
from tests import factories as f


@pytest.fixture
def records(world):
    """A household, person, encounter and task in each desa, all named 'Rahasia'."""
    out = {}
    for desa in (f.DESA_A, f.DESA_B):
        household = f.household(desa=desa, head_name=f"Rahasia {desa}",
                                no_kk=f"320419{desa[-4:]}000001")
        person = f.person(desa=desa, name=f"Rahasia {desa}", nik=f"3204195705{desa[-4:]}01",
                          household=household["_id"])
        visit = f.encounter(person)
        todo = f.task(person)
        assert all(r["ok"] for r in save_docs([household, person, visit, todo], None))
        out[desa] = {"household": household, "person": person, "encounter": visit, "task": todo}
    return out


LISTS = ["/api/v1/persons?q=rahasia", "/api/v1/households?q=rahasia", "/api/v1/encounters",
         "/api/v1/tasks"]


@pytest.mark.parametrize("url", LISTS)
def test_lists_and_search_show_only_own_desa(login, records, url):
    items = login("pustu_a").get(url).json["items"]
    assert items and {item["desa"] for item in items} == {f.DESA_A}


@pytest.mark.parametrize("query", ["nik=3204195705000201", "no_kk=3204190002000001",
                                   f"desa={f.DESA_B}"])
def test_searching_by_another_desas_identifiers_finds_nothing(login, records, query):
    page = login("pustu_a").get(f"/api/v1/persons?{query}").json
    assert page["items"] == [] and page["total"] == 0


@pytest.mark.parametrize("kind", ["household", "person", "encounter", "task"])
def test_record_of_another_desa_is_not_found_not_forbidden(login, records, kind):
    doc_id = records[f.DESA_B][kind]["_id"]
    session = login("pustu_a")
    foreign = session.get(f"/api/v1/{kind}s/{doc_id}")
    missing = session.get(f"/api/v1/{kind}s/{kind}:does-not-exist")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["detail"] == missing.json["detail"]


def test_encounters_of_a_person_in_another_desa_are_not_found(login, records):
    person_id = records[f.DESA_B]["person"]["_id"]
    assert login("pustu_a").get(f"/api/v1/persons/{person_id}/encounters").status_code == 404


def test_writing_into_another_desa_is_forbidden_and_stores_nothing(login, records):
    session = login("pustu_a")
    response = session.post("/api/v1/persons", json={
        "desa": f.DESA_B, "name": "Penyusup", "sex": "L", "birth_date": "1990-01-01"})
    assert response.status_code == 403
    assert login("kapus").get("/api/v1/persons?q=penyusup").json["total"] == 0


def test_editing_a_foreign_record_is_not_found(login, records):
    person = records[f.DESA_B]["person"]
    response = login("pustu_a").patch(f"/api/v1/persons/{person['_id']}",
                                      json={"_rev": "1-x", "name": "Diubah"})
    assert response.status_code == 404


def test_moving_a_person_out_of_ones_area_is_forbidden(login, records):
    session = login("pustu_a")
    person = session.get(f"/api/v1/persons/{records[f.DESA_A]['person']['_id']}").json
    response = session.patch(f"/api/v1/persons/{person['_id']}",
                             json={"_rev": person["_rev"], "desa": f.DESA_B})
    assert response.status_code == 403


def test_puskesmas_wide_role_sees_every_desa(login, records):
    items = login("kapus").get("/api/v1/persons?q=rahasia").json["items"]
    assert {item["desa"] for item in items} == {f.DESA_A, f.DESA_B}


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/persons/person:x"])
def test_dinkes_sees_aggregates_only_never_records(login, records, url):
    assert login("dinkes").get(url).status_code == 403


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/places", "/api/v1/users", "/api/v1/auth/me"])
def test_anonymous_caller_gets_401(client, records, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("username", ["kader_a", "pustu_a", "kapus", "dinkes"])
def test_only_admin_manages_users(login, username):
    assert login(username).get("/api/v1/users").status_code == 403


def test_kader_may_not_create_tasks(login, records):
    person = records[f.DESA_A]["person"]
    response = login("kader_a").post("/api/v1/tasks", json={
        "desa": f.DESA_A, "person": person["_id"], "reason": "x", "due_date": "2026-12-01",
        "status": "open"})
    assert response.status_code == 403


@pytest.fixture
def moved(world):
    """A baby registered in desa B with two visits there, then moved to desa A (a system
    write, as a Puskesmas correction would be): the visits stay with desa B."""
    baby = f.person(desa=f.DESA_B, name="Bayi Pindahan", sex="L",
                    birth_date=(dt.date.today() - dt.timedelta(days=70)).isoformat())
    born = baby["birth_date"]
    visits = [f.encounter(baby, date=born, setting="puskesmas", notes="Catatan rahasia B",
                          immunizations=[{"vaccine": "HB0", "dose": 1, "date": born},
                                         {"vaccine": "BCG", "dose": 1, "date": born}]),
              f.encounter(baby, notes="Catatan rahasia B")]
    todo = f.task(baby)
    results = save_docs([baby, *visits, todo], None)
    assert all(r["ok"] for r in results)
    moved = save_docs([{**baby, "_rev": results[0]["rev"], "desa": f.DESA_A}], None)[0]
    assert moved["ok"]
    return {"person": baby, "visits": visits, "task": todo}


def test_a_person_who_moved_lists_only_the_visits_of_the_callers_desa(login, moved):
    person_id = moved["person"]["_id"]
    page = login("pustu_a").get(f"/api/v1/persons/{person_id}/encounters").json
    assert page["items"] == [] and page["total"] == 0
    for visit in moved["visits"]:
        assert login("pustu_a").get(f"/api/v1/encounters/{visit['_id']}").status_code == 404


def test_the_due_list_counts_visits_of_the_former_desa_but_names_none(login, moved):
    response = login("pustu_a").get(f"/api/v1/persons/{moved['person']['_id']}/due")
    assert response.status_code == 200
    done = {item["code"] for item in response.json["items"] if item["status"] == "done"}
    assert "BCG-1" in done  # clinically needed: given in desa B, still counted
    text = response.get_data(as_text=True)
    assert "rahasia" not in text.lower()
    assert not any(visit["_id"] in text for visit in moved["visits"])


@pytest.mark.parametrize("kind", ["encounters", "tasks"])
def test_a_joined_person_outside_the_area_shows_no_name(login, moved, kind):
    person_id = moved["person"]["_id"]
    rows = login("pustu_b").get(f"/api/v1/{kind}?person={person_id}").json["items"]
    assert rows and all(row["desa"] == f.DESA_B for row in rows)
    assert {row["person_name"] for row in rows} == {None}  # same as for an unknown id
    assert login("pustu_a").get(f"/api/v1/{kind}?person={person_id}").json["total"] == 0
    own = login("kapus").get(f"/api/v1/{kind}?person={person_id}").json["items"]
    assert {row["person_name"] for row in own} == {"Bayi Pindahan"}


def test_a_household_counts_only_the_members_the_caller_may_see(login, world):
    home = f.household(head_name="Keluarga Terpisah")
    stays, leaves = (f.person(name=name, household=home["_id"]) for name in ("Ibu", "Anak"))
    results = save_docs([home, stays, leaves], None)
    assert all(r["ok"] for r in results)
    # A member in desa B still naming a desa-A household: refused by the write path today
    # (docs/documents.md), so written as older data would hold it.
    with write_transaction() as conn:
        [moved] = f.write_unchecked(conn, [{**leaves, "_rev": results[2]["rev"],
                                            "desa": f.DESA_B}])
    assert moved["ok"]
    url = "/api/v1/households?q=terpisah"
    assert [h["member_count"] for h in login("pustu_a").get(url).json["items"]] == [1]
    assert [h["member_count"] for h in login("kapus").get(url).json["items"]] == [2]


def test_an_edit_clears_an_optional_field_with_null(login, world):
    """A person moving desa leaves her household behind: the reference rules would refuse the
    move while she still named a household of her old desa."""
    admin = login("admin")
    home = admin.post("/api/v1/households", json={"desa": f.DESA_A, "head_name": "Keluarga A"})
    person = admin.post("/api/v1/persons", json={
        "desa": f.DESA_A, "name": "Ani", "sex": "P", "birth_date": "1990-01-01",
        "household": home.json["_id"], "phone": "081234567890"}).json
    kept = admin.patch(f"/api/v1/persons/{person['_id']}", json={
        "_rev": person["_rev"], "desa": f.DESA_B})
    assert kept.status_code == 403 and "household" in kept.json["detail"]
    moved = admin.patch(f"/api/v1/persons/{person['_id']}", json={
        "_rev": person["_rev"], "desa": f.DESA_B, "household": None})
    assert moved.status_code == 200, moved.json
    assert "household" not in moved.json and moved.json["phone"] == "081234567890"
    assert "household" in moved.json["field_ts"]
    required = admin.patch(f"/api/v1/persons/{person['_id']}", json={
        "_rev": moved.json["_rev"], "name": None})
    assert required.status_code == 422
