"""PWS follow-up (`POST /api/v1/pws/followup`, `GET /api/v1/pws/followup`): the persons of a
gap become open tasks for the desa's Pustu, once (backend/pws/followup.py); they replicate to
that desa's tablets only; progress counts them per desa with the outcomes the Pustu recorded.

The village is test_gaps.py's: in desa A Bayu (weighed last month only) and Citra (never
weighed) are the D/S gap of this month.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.db import read_transaction
from backend.projections.tables import tasks
from backend.pws.catalogue import catalogue
from backend.pws.followup import reason, source_key, task_id
from backend.pws.months import current_month
from tests import factories as f
from tests.pws.test_gaps import build_village, village  # noqa: F401  (fixture)
from tests.sync.conftest import SyncClient

URL = "/api/v1/pws/followup"


def body(v, **over) -> dict:
    return {"indicator": "ds", "desa": f.DESA_A, "month": v.month, **over}


def pws_tasks() -> list[sa.Row]:
    with read_transaction() as conn:
        return conn.execute(sa.select(tasks).where(tasks.c.source.like("pws:%"))
                            .order_by(tasks.c.id)).all()


def test_the_gap_becomes_one_open_task_per_person_for_the_pustu(login, village):  # noqa: F811
    kapus = login("kapus")
    response = kapus.post(URL, json=body(village))
    assert response.status_code == 201, response.json
    assert (response.json["created"], response.json["already_open"]) == (2, 0)
    bayu, citra = village.persons["last_month"], village.persons["never"]
    month = current_month()
    assert sorted(response.json["task_ids"]) == sorted(
        task_id(p["_id"], "ds", month) for p in (bayu, citra))
    rows = {row.person_id: row for row in pws_tasks()}
    assert set(rows) == {bayu["_id"], citra["_id"]}
    due = dt.date.today() + dt.timedelta(days=catalogue().followup["due_days"])
    row = rows[bayu["_id"]]
    assert (row.status, row.desa, row.assigned_place_id, row.source, row.due_date) == (
        "open", f.DESA_A, village.pustu["_id"], source_key("ds", month), due)
    assert row.reason.startswith("Balita belum ditimbang bulan ini (terakhir ditimbang ")
    assert rows[citra["_id"]].reason == "Balita belum ditimbang bulan ini (belum pernah ditimbang)"
    # The drill-down now shows the open task beside each name.
    gap = kapus.get("/api/v1/pws/gaps", query_string=body(village)).json["persons"]
    assert {p["open_task"] for p in gap} == set(response.json["task_ids"])
    # Audited as the caller's writes.
    with read_transaction() as conn:
        audited = conn.execute(sa.select(audit_log.c.target_id, audit_log.c.actor).where(
            audit_log.c.target_type == "task")).all()
    assert sorted(audited) == sorted((t, "kapus") for t in response.json["task_ids"])


def test_twice_creates_nothing_more(login, village):  # noqa: F811
    kapus = login("kapus")
    first = kapus.post(URL, json=body(village)).json
    second = kapus.post(URL, json=body(village))
    assert second.status_code == 201
    assert (second.json["created"], second.json["already_open"]) == (0, 2)
    assert sorted(second.json["task_ids"]) == sorted(first["task_ids"])
    assert len(pws_tasks()) == 2


def test_two_requests_at_once_create_each_task_once(app, login, village):  # noqa: F811
    clients = [login("kapus"), login("klaster2")]
    answers = []

    def send(client):
        answers.append(client.post(URL, json=body(village)))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201, 201], [a.json for a in answers]
    assert sorted(a.json["created"] for a in answers) == [0, 2]
    assert len(pws_tasks()) == 2


def test_an_open_task_of_an_earlier_month_covers_the_same_person(login, village):  # noqa: F811
    kapus = login("kapus")
    previous = str(current_month().previous)
    citra = village.persons["never"]["_id"]
    earlier = kapus.post(URL, json=body(village, month=previous, persons=[citra]))
    assert earlier.status_code == 201 and earlier.json["created"] == 1, earlier.json
    now = kapus.post(URL, json=body(village)).json
    assert (now["created"], now["already_open"]) == (1, 1)
    assert task_id(citra, "ds", current_month().previous) in now["task_ids"]
    assert len(pws_tasks()) == 2


def test_a_closed_task_is_not_reopened_and_progress_counts_outcomes(login, village):  # noqa: F811
    kapus, bidan = login("kapus"), login("pustu_a")
    created = kapus.post(URL, json=body(village)).json
    doc_id = created["task_ids"][0]
    current = bidan.get(f"/api/v1/tasks/{doc_id}").json
    closed = bidan.patch(f"/api/v1/tasks/{doc_id}", json={
        "_rev": current["_rev"], "status": "done", "outcome_code": "datang",
        "outcome": "Sudah ditimbang di Posyandu"})
    assert closed.status_code == 200, closed.json
    again = kapus.post(URL, json=body(village)).json
    assert (again["created"], again["already_open"], again["closed"]) == (0, 1, 1)
    progress = {row["desa"]: row for row in kapus.get(
        URL, query_string={"month": village.month}).json}
    assert progress[f.DESA_A] == {"desa": f.DESA_A, "created": 2, "open": 1, "done": 1,
                                  "cancelled": 0, "outcomes": {"datang": 1}}
    assert progress[f.DESA_B]["created"] == 0
    # dinkes sees the counts (no names); pustu B only its own desa.
    assert login("dinkes").get(URL, query_string={"month": village.month}).status_code == 200
    assert [r["desa"] for r in login("pustu_b").get(
        URL, query_string={"month": village.month}).json] == [f.DESA_B]


def test_created_tasks_replicate_to_that_desas_tablets_only(app, login, village):  # noqa: F811
    created = login("kapus").post(URL, json=body(village)).json["task_ids"]

    def changed(username):
        response = SyncClient(app, username).get("/_changes?since=0&include_docs=true")
        return {row["id"]: row.get("doc") for row in response.json["results"]}

    seen_a = changed("pustu_a")
    assert set(created) <= set(seen_a)
    assert seen_a[created[0]]["source"] == source_key("ds", current_month())
    assert not set(created) & set(changed("pustu_b"))


def test_a_person_outside_the_gap_refuses_the_whole_request(login, village):  # noqa: F811
    kapus = login("kapus")
    andi = village.persons["weighed"]["_id"]           # weighed this month: not in the gap
    gilang = village.persons["other_desa"]["_id"]      # desa B
    response = kapus.post(URL, json=body(village, persons=[
        village.persons["last_month"]["_id"], andi, gilang, "person:nobody"]))
    assert response.status_code == 422
    assert response.content_type.startswith("application/problem+json")
    assert set(response.json["errors"]["json"]["persons"]) == {andi, gilang, "person:nobody"}
    assert andi in response.json["detail"] or andi in response.json.get("message", "") or \
        andi in str(response.json)
    assert pws_tasks() == []


POST_EXPECTED = {"kapus": 201, "admin": 201, "klaster2": 201, "pustu_a": 201, "pustu_b": 404,
                 "dinkes": 403, "fktp_a": 403, "kader_a": 403}


@pytest.mark.parametrize("username", sorted(POST_EXPECTED))
def test_post_scope_matrix(login, village, username):  # noqa: F811
    response = login(username).post(URL, json=body(village))
    assert response.status_code == POST_EXPECTED[username], response.json
    assert len(pws_tasks()) == (2 if response.status_code == 201 else 0)


GET_EXPECTED = {"kapus": 200, "admin": 200, "klaster2": 200, "pustu_a": 200, "pustu_b": 200,
                "dinkes": 200, "fktp_a": 403, "kader_a": 403}


@pytest.mark.parametrize("username", sorted(GET_EXPECTED))
def test_progress_scope_matrix(login, village, username):  # noqa: F811
    response = login(username).get(URL, query_string={"month": village.month})
    assert response.status_code == GET_EXPECTED[username], response.json


@pytest.mark.parametrize("over,status", [
    ({"indicator": "nope"}, 422),
    ({"desa": "9999999999"}, 404),
    ({"month": "2026-00"}, 422),
    ({"month": "next"}, 422),
    ({"persons": []}, 422),
    ({"persons": "person:x"}, 422),
    ({"extra": 1}, 422),
])
def test_bad_input_writes_nothing(login, village, over, status):  # noqa: F811
    if over.get("month") == "next":
        over = {"month": str(current_month().shift(1))}
    response = login("kapus").post(URL, json=body(village, **over))
    assert response.status_code == status, response.json
    assert response.content_type.startswith("application/problem+json")
    assert pws_tasks() == []


def test_bad_progress_month(login, village):  # noqa: F811
    assert login("kapus").get(URL, query_string={"month": "2026-1"}).status_code == 422
    assert login("kapus").get(URL).status_code == 422


def test_the_reason_says_the_gap_once_and_fits_the_task():
    ds, k4 = catalogue().get("ds"), catalogue().get("k4")
    assert reason(ds, "Terakhir ditimbang 1 Okt 2026") == \
        "Balita belum ditimbang bulan ini (terakhir ditimbang 1 Okt 2026)"
    assert reason(ds, "Belum ditimbang bulan ini, terakhir 1 Okt 2026") == \
        "Balita belum ditimbang bulan ini (terakhir 1 Okt 2026)"
    assert reason(ds, "Belum pernah ditimbang") == \
        "Balita belum ditimbang bulan ini (belum pernah ditimbang)"
    assert reason(k4, None) == k4.gap_reason
    long = reason(k4, "belum: " + ", ".join(["K5 - trimester 3 (dokter, USG)"] * 20))
    assert len(long) == 300 and long.endswith("…")
