"""GET /api/v1/audit, and what REST requests write to the trail."""

from __future__ import annotations

import pytest

from backend import audit
from backend.db import write_transaction
from backend.writes import save_docs
from tests import factories as f


@pytest.fixture
def record_a(world):
    person = f.person(name="Siti Terbuka")
    visit = f.encounter(person)
    assert all(r["ok"] for r in save_docs([person, visit], None))
    return person


def trail(session, query=""):
    response = session.get(f"/api/v1/audit?{query}")
    assert response.status_code == 200, response.json
    return response.json


def test_opening_a_record_is_one_row_per_request(login, record_a):
    pustu = login("pustu_a")
    base = f"/api/v1/persons/{record_a['_id']}"
    for url in (base, f"{base}/encounters", f"{base}/due"):
        assert pustu.get(url).status_code == 200
    pustu.get("/api/v1/persons?q=siti")  # a search opens no record
    rows = trail(login("kapus"), "action=record.open")["items"]
    assert [(r["actor"], r["actor_name"], r["target_id"], r["detail"]["view"])
            for r in rows] == [("pustu_a", "Pustu A", record_a["_id"], view)
                               for view in ("due", "encounters", "details")]
    assert {r["desa"] for r in rows} == {f.DESA_A}


def test_a_rest_write_names_who_which_document_and_which_fields(login, record_a):
    pustu = login("pustu_a")
    current = pustu.get(f"/api/v1/persons/{record_a['_id']}").json
    pustu.patch(f"/api/v1/persons/{record_a['_id']}",
                json={"_rev": current["_rev"], "name": "Siti Aminah", "phone": "0812000111"})
    rows = trail(login("admin"), f"action=document.write&target_id={record_a['_id']}")["items"]
    assert len(rows) == 1
    assert rows[0]["actor"] == "pustu_a" and rows[0]["target_type"] == "person"
    assert rows[0]["detail"]["fields"] == ["name", "phone"]
    assert rows[0]["action_description"] == audit.ACTIONS["document.write"]


def test_a_refused_write_leaves_no_row(login, world):
    response = login("pustu_a").post("/api/v1/persons", json={
        "desa": f.DESA_B, "name": "Penyusup", "sex": "L", "birth_date": "1990-01-01"})
    assert response.status_code == 403
    assert trail(login("admin"), "action=document.write")["items"] == []


@pytest.mark.parametrize("username", ["kader_a", "pustu_a", "klaster2", "dinkes", "fktp_a"])
def test_only_admin_and_kapus_read_the_trail(login, world, username):
    response = login(username).get("/api/v1/audit")
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


def _seed(count: int, desa: str | None = f.DESA_A) -> None:
    with write_transaction() as conn:
        for n in range(count):
            audit.record(conn, actor=None, action="record.open", target_type="person",
                         target_id=f"person:{n}", desa=desa)


def test_pages_go_back_in_time_without_gaps_or_repeats(login, world):
    _seed(7)
    admin, seen, before = login("admin"), [], ""
    while True:
        page = trail(admin, f"limit=3&action=record.open{before}")
        seen += [row["id"] for row in page["items"]]
        if page["next_before_id"] is None:
            break
        before = f"&before_id={page['next_before_id']}"
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)


def test_filters_narrow_the_trail(login, world):
    _seed(2)
    _seed(1, desa=f.DESA_B)
    kapus = login("kapus")
    assert len(trail(kapus, f"desa={f.DESA_B}&action=record.open")["items"]) == 1
    assert len(trail(kapus, "target_type=person&target_id=person:0")["items"]) == 2
    assert trail(kapus, "actor=pustu_a&action=record.open")["items"] == []
    assert trail(kapus, "date_to=2000-01-01")["items"] == []
    assert len(trail(kapus, "date_from=2000-01-01&action=record.open")["items"]) == 3


def test_a_reader_sees_no_row_of_a_desa_outside_their_area(app, login, world):
    _seed(1, desa="3204190003")
    assert trail(login("kapus"), "action=record.open")["items"] == []


@pytest.mark.parametrize("query", ["action=nope", "limit=0", "limit=201", "date_from=kemarin",
                                   "before_id=-1", "desa=12"])
def test_bad_filters_are_422(login, world, query):
    response = login("admin").get(f"/api/v1/audit?{query}")
    assert response.status_code == 422 and response.content_type == "application/problem+json"
