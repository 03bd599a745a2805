"""Corrections sent back to the village (backend/review/corrections.py): *minta perbaikan* writes
one task for the desa's Pustu, which her tablet replicates; the correction closes it."""

from __future__ import annotations

import datetime as dt

from backend.clock import today
from backend.followup.tasks import SYSTEM
from backend.review import corrections
from tests import factories as f
from tests.review.queue_world import (  # noqa: F401
    TODAY,
    child,
    flag,
    pustu_a_fixture,
    review_rows,
    store,
    task_rows,
    weighing,
)
from tests.sync.conftest import SyncClient

URL = "/api/v1/review/decisions"


def ask(login, *records: dict, note: str | None = None, who: str = "klaster2") -> dict:
    body = {"decision": "perbaikan", "records": [r["_id"] for r in records]}
    if note:
        body["note"] = note
    response = login(who).post(URL, json=body)
    assert response.status_code == 200, response.json
    return response.json


def pustu_changes(app) -> dict[str, dict]:
    feed = SyncClient(app, "pustu_a").get("/_changes?since=0&include_docs=true").json
    return {row["id"]: row.get("doc") for row in feed["results"]}


def test_perbaikan_sends_one_task_to_the_pustu_which_her_tablet_receives(app, login, pustu_a):
    baby, = store(child())
    store(weighing(baby, days_ago=30))
    visit, = store(weighing(baby, days_ago=3, measurements={"height_cm": 61.0}))

    answer = ask(login, visit, note="Mohon ukur ulang")
    again = ask(login, visit)            # a double click: the same task, not a second one

    task_id = corrections.task_id(visit["_id"], visit["_rev"])
    assert answer["tasks"] == again["tasks"] == [task_id]
    assert [t.id for t in task_rows() if t.rule == "koreksi"] == [task_id]
    task = pustu_changes(app)[task_id]
    assert {k: task[k] for k in ("person", "origin", "rule", "covers", "source", "status",
                                 "assigned_place", "desa", "created_by", "due_date")} == {
        "person": baby["_id"], "origin": visit["_id"], "rule": "koreksi",
        "covers": ["tinggi_menyusut", "z_tidak_wajar"], "source": "Tinjauan Puskesmas",
        "status": "open", "assigned_place": pustu_a["_id"], "desa": f.DESA_A,
        "created_by": "klaster2", "due_date": (today() + dt.timedelta(days=7)).isoformat()}
    # the record, then what the rules found in words, then the reviewer's note
    assert task["reason"].startswith(f"Perbaiki kunjungan {corrections.day(visit['date'])}: ")
    assert "tinggi 61 cm, sebelumnya 71 cm" in task["reason"]
    assert task["reason"].endswith(". Catatan peninjau: Mohon ukur ulang")
    assert review_rows()[visit["_id"]].task_id == task_id
    assert task_id not in {row["id"] for row in SyncClient(app, "pustu_b").get(
        "/_changes?since=0").json["results"]}


def test_the_correcting_visit_closes_the_task_and_takes_the_queue_place(app, login, pustu_a):
    baby, = store(child())
    wrong, = store(weighing(baby, measurements={"height_cm": 61.0}))
    flag(wrong)
    task_id, = ask(login, wrong)["tasks"]

    bidan = SyncClient(app, "pustu_a")
    fixed = weighing(baby, corrects=wrong["_id"], provider="Bidan Rina", setting="pustu")
    pushed = bidan.post("/_bulk_docs", json={"docs": [fixed]})
    assert pushed.status_code == 201 and "error" not in pushed.json[0], pushed.json

    task = pustu_changes(app)[task_id]
    assert (task["status"], task["outcome_code"], task["updated_by"]) == (
        "done", "dikoreksi", SYSTEM)
    assert task["outcome"].startswith("Sudah dikoreksi: kunjungan pengganti ")
    assert task["outcome"].endswith(" oleh Bidan Rina.")
    queue = login("klaster2").get("/api/v1/review/queue",
                                  query_string={"desa": f.DESA_A}).json
    assert fixed["_id"] in [i["id"] for i in queue["items"]]
    assert wrong["_id"] not in [i["id"] for i in queue["items"]]


def test_a_person_or_pregnancy_edited_after_the_task_closes_it(app, login, pustu_a):
    mother, = store(f.person(name="Sri Wahyuni", birth_date="1996-02-11"))
    pregnancy, = store(f.pregnancy(mother, hpht=(TODAY - dt.timedelta(weeks=12)).isoformat()))
    person_task, pregnancy_task = ask(login, mother, pregnancy, note="Periksa NIK")["tasks"]
    stamp = "2999-01-01T08:00:00+07:00"   # later than the task, whatever today is

    store({**mother, "nik": "3204195102960001", "updated_at": stamp, "updated_by": "pustu_a"},
          {**pregnancy, "gravida": 2, "updated_at": stamp, "updated_by": "pustu_a"})

    closed = {t.id: t for t in task_rows()}
    assert closed[person_task].status == closed[pregnancy_task].status == "done"
    assert closed[person_task].outcome_code == "dikoreksi"
    assert closed[person_task].outcome == "Sudah dikoreksi: data pendaftaran diubah 1 Jan 2999."


def test_an_older_edit_arriving_late_does_not_close_and_a_closed_task_stays_closed(
        app, login, pustu_a):
    mother, = store(f.person(name="Sri Wahyuni"))
    task_id, = ask(login, mother)["tasks"]

    old = {**mother, "phone": "081234567890", "updated_at": "2020-01-01T08:00:00+07:00",
           "updated_by": "kader_a"}
    edited, = store(old)
    assert {t.id: t.status for t in task_rows()}[task_id] == "open"

    bidan = SyncClient(app, "pustu_a")
    task = pustu_changes(app)[task_id]
    cancelled = bidan.post("/_bulk_docs", json={"docs": [{**task, "status": "cancelled"}]})
    assert "error" not in cancelled.json[0], cancelled.json
    store({**edited, "name": "Sri Wahyuningsih", "updated_at": "2999-01-01T08:00:00+07:00",
           "updated_by": "pustu_a"})
    assert {t.id: t.status for t in task_rows()}[task_id] == "cancelled"


def test_a_correction_task_is_not_cancelled_as_a_derived_follow_up(app, login, pustu_a):
    """A correction of a visit cancels the visit's derived follow-up tasks it no longer finds
    (docs/followup.md); the review's correction task is closed as done instead."""
    man, = store(f.person(name="Pak Darto", sex="L", birth_date="1968-03-02"))
    high, = store(f.encounter(man, measurements={"sbp": 168, "dbp": 98}))
    task_id, = ask(login, high)["tasks"]
    store(f.encounter(man, corrects=high["_id"], measurements={"sbp": 118, "dbp": 76}),
          user=None)
    statuses = {t.id: (t.status, t.outcome_code) for t in task_rows()}
    assert statuses[task_id] == ("done", "dikoreksi")
    assert all(status == "cancelled" for tid, (status, _) in statuses.items() if tid != task_id)


def test_a_later_benar_withdraws_an_open_correction_but_not_one_the_bidan_started(
        app, login, pustu_a):
    first, second = store(child(name="Anak Satu"), child(name="Anak Dua"))
    open_task, started = ask(login, first, second)["tasks"]
    task = pustu_changes(app)[started]
    taken = SyncClient(app, "pustu_a").post("/_bulk_docs", json={"docs": [
        {**task, "status": "in_progress"}]})
    assert "error" not in taken.json[0], taken.json

    response = login("kapus").post(URL, json={"decision": "benar",
                                              "records": [first["_id"], second["_id"]]})

    assert response.status_code == 200, response.json
    rows = {t.id: t for t in task_rows()}
    assert (rows[open_task].status, rows[open_task].outcome) == (
        "cancelled", corrections.WITHDRAWN)
    assert rows[started].status == "in_progress"
    assert pustu_changes(app)[open_task]["status"] == "cancelled"   # the tablet learns it
