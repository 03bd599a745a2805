"""REST and follow-up: a visit posted to /encounters derives its task; /tasks shows the
follow-up fields, filters by them, and closes a task with its outcome; other desa see nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.db import write_transaction
from backend.followup.tasks import task_id
from backend.writes import write_docs
from tests import factories as f

TODAY = dt.date.today().isoformat()


@pytest.fixture
def derived(login, world):
    """A man registered and measured over REST by desa A's bidan: TD 168/98."""
    pustu = f.place("pustu", "Pustu Cikalong", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    with write_transaction() as conn:
        assert write_docs(conn, [pustu], None)[0]["ok"]
    bidan = login("pustu_a")
    person = bidan.post("/api/v1/persons", json={
        "desa": f.DESA_A, "name": "Pak Darto", "sex": "L", "birth_date": "1968-03-02"}).json
    visit = bidan.post("/api/v1/encounters", json={
        "desa": f.DESA_A, "person": person["_id"], "date": TODAY, "setting": "pustu",
        "measurements": {"sbp": 168, "dbp": 98}})
    assert visit.status_code == 201, visit.json
    return {"bidan": bidan, "person": person, "visit": visit.json, "pustu": pustu,
            "task": task_id(visit.json["_id"], "hipertensi")}


def test_a_visit_posted_over_rest_derives_its_task(derived):
    bidan = derived["bidan"]
    [row] = bidan.get("/api/v1/tasks").json["items"]
    assert {k: row[k] for k in ("id", "origin_id", "rule", "urgent", "cluster", "status",
                                "assigned_place_id", "person_name", "outcome_code")} == {
        "id": derived["task"], "origin_id": derived["visit"]["_id"], "rule": "hipertensi",
        "urgent": False, "cluster": None, "status": "open",
        "assigned_place_id": derived["pustu"]["_id"], "person_name": "Pak Darto",
        "outcome_code": None}
    doc = bidan.get(f"/api/v1/tasks/{derived['task']}").json
    assert doc["origin"] == derived["visit"]["_id"] and doc["reason"].startswith("Tekanan")


def test_tasks_filter_by_rule_origin_and_urgency(derived):
    bidan = derived["bidan"]
    assert bidan.post("/api/v1/tasks", json={
        "desa": f.DESA_A, "person": derived["person"]["_id"], "reason": "Kunjungan rumah",
        "due_date": TODAY, "status": "open"}).status_code == 201

    def ids(query: str) -> list[str]:
        return [row["id"] for row in bidan.get(f"/api/v1/tasks?{query}").json["items"]]
    assert ids("rule=hipertensi") == [derived["task"]]
    assert ids(f"origin={derived['visit']['_id']}") == [derived["task"]]
    assert ids("urgent=true") == []
    assert len(ids("")) == 2


def test_closing_needs_an_outcome_code_and_keeps_it(derived):
    bidan, doc_id = derived["bidan"], derived["task"]
    current = bidan.get(f"/api/v1/tasks/{doc_id}").json
    refused = bidan.patch(f"/api/v1/tasks/{doc_id}", json={
        "_rev": current["_rev"], "status": "done", "outcome": "Sudah datang"})
    assert refused.status_code == 422 and "outcome_code" in refused.json["errors"]["json"]
    wrong = bidan.patch(f"/api/v1/tasks/{doc_id}", json={
        "_rev": current["_rev"], "status": "done", "outcome_code": "sembuh"})
    assert wrong.status_code == 422
    closed = bidan.patch(f"/api/v1/tasks/{doc_id}", json={
        "_rev": current["_rev"], "status": "done", "outcome_code": "datang",
        "outcome": "TD 150/90, obat diambil", "done_at": "2026-11-30T09:00:00Z"})
    assert closed.status_code == 200, closed.json
    [row] = bidan.get("/api/v1/tasks?status=done").json["items"]
    assert (row["outcome_code"], row["outcome"]) == ("datang", "TD 150/90, obat diambil")
    # Cancelling needs no outcome code: a task made by mistake is just cancelled.
    other = bidan.post("/api/v1/tasks", json={
        "desa": f.DESA_A, "person": derived["person"]["_id"], "reason": "Salah input",
        "due_date": TODAY, "status": "open"}).json
    assert bidan.patch(f"/api/v1/tasks/{other['_id']}", json={
        "_rev": other["_rev"], "status": "cancelled"}).status_code == 200


def test_another_desa_neither_sees_nor_closes_nor_links_to_it(derived, login):
    other = login("pustu_b")
    assert other.get("/api/v1/tasks").json["items"] == []
    assert other.get(f"/api/v1/tasks/{derived['task']}").status_code == 404
    assert other.patch(f"/api/v1/tasks/{derived['task']}", json={
        "_rev": "1-x", "status": "done", "outcome_code": "datang"}).status_code == 404
    person_b = other.post("/api/v1/persons", json={
        "desa": f.DESA_B, "name": "Bu Ani", "sex": "P", "birth_date": "1970-01-01"}).json
    linked = other.post("/api/v1/tasks", json={
        "desa": f.DESA_B, "person": person_b["_id"], "reason": "Tindak lanjut",
        "due_date": TODAY, "status": "open", "origin": derived["visit"]["_id"]})
    assert linked.status_code == 403  # task.origin is a reference: same desa only


def test_urgent_tasks_come_first_among_those_due_the_same_day(derived):
    bidan = derived["bidan"]
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()   # the derived task's due date
    # An id that sorts after every other: only its urgency can put it first.
    urgent = {**f.task(derived["person"], due_date=due, urgent=True, cluster="2"),
              "_id": "task:ffffffff-ffff-4fff-bfff-ffffffffffff"}
    with write_transaction() as conn:
        assert write_docs(conn, [urgent], None)[0]["ok"]
    assert [row["id"] for row in bidan.get("/api/v1/tasks").json["items"]] == [
        urgent["_id"], derived["task"]]
