"""Follow-up derived on the server from what a tablet pushes through `/sync` `_bulk_docs`: the
task reaches the bidan of the desa on her next `_changes`, and nobody else's."""

from __future__ import annotations

import datetime as dt

from backend.followup.tasks import SYSTEM, task_id
from tests import factories as f
from tests.followup.conftest import (
    TODAY,
    expected,
    girl,
    man,
    pregnancy_of,
    push,
    srq20,
    task_rows,
    visit,
)


def changed_docs(client, since: int = 0) -> dict[str, dict]:
    response = client.get(f"/_changes?since={since}&include_docs=true")
    return {row["id"]: row.get("doc") for row in response.json["results"]}


def test_a_kaders_hypertensive_man_becomes_a_task_in_the_bidans_changes(couch, world, pustu_a):
    person = man()
    encounter = visit(person, sbp=168, dbp=98, glucose_mgdl=215, glucose_type="GDS")
    push(couch("kader_a"), person, encounter)

    seen = changed_docs(couch("pustu_a"))
    hypertension = seen[task_id(encounter["_id"], "hipertensi")]
    wanted = expected(person, encounter)
    due = (TODAY + dt.timedelta(days=wanted["hipertensi"]["due_in_days"])).isoformat()
    assert {k: hypertension[k] for k in ("person", "status", "due_date", "assigned_place",
                                         "origin", "rule", "urgent", "source", "created_by",
                                         "desa", "reason")} == {
        "person": person["_id"], "status": "open", "due_date": due,
        "assigned_place": pustu_a["_id"], "origin": encounter["_id"], "rule": "hipertensi",
        "urgent": False, "source": "Temuan di Posyandu", "created_by": SYSTEM, "desa": f.DESA_A,
        "reason": wanted["hipertensi"]["reason"]}
    assert "168/98" in hypertension["reason"] and "cluster" not in hypertension
    diabetes = seen[task_id(encounter["_id"], "diabetes")]
    assert diabetes["reason"] == wanted["diabetes"]["reason"] and "215" in diabetes["reason"]
    # Another desa's bidan never sees it, on /sync or REST.
    assert not set(changed_docs(couch("pustu_b"))) & {encounter["_id"], *map(
        lambda r: task_id(encounter["_id"], r), ("hipertensi", "diabetes"))}
    assert sorted(r.rule for r in task_rows(person)) == ["diabetes", "hipertensi"]


def test_a_pregnant_seventeen_year_old_is_referred_urgently_to_klaster_2(couch, world):
    person = girl()
    pregnancy = pregnancy_of(person)
    encounter = visit(person, sbp=145, dbp=95)
    push(couch("kader_a"), person, pregnancy, {**encounter, "pregnancy": pregnancy["_id"]})

    [row] = task_rows(person)
    assert (row.rule, row.urgent, row.cluster, row.assigned_place_id, row.status) == (
        "hipertensi_hamil", True, "2", world.puskesmas["_id"], "open")
    wanted = expected(person, encounter, pregnancy)["hipertensi_hamil"]
    assert row.due_date == TODAY + dt.timedelta(days=wanted["due_in_days"])
    assert wanted["due_in_days"] <= 1   # a danger sign: today or tomorrow
    assert row.origin_id == encounter["_id"] and "145/95" in row.reason


def test_srq20_with_six_yes_answers_becomes_a_task_and_five_does_not(couch):
    person = man()
    push(couch("kader_a"), person, srq20(person, yes=5))
    assert task_rows(person) == []
    positive = srq20(person, yes=6)
    push(couch("kader_a"), positive)
    [row] = task_rows(person)
    [rule] = expected(person, positive)
    assert row.rule == rule and "kesehatan jiwa" in row.reason


def test_nothing_is_derived_from_a_normal_visit_or_a_deleted_one(couch):
    person = man()
    normal = visit(person, sbp=118, dbp=76)
    push(couch("kader_a"), person, normal)
    assert task_rows(person) == []
    high = visit(person, sbp=170, dbp=100)
    client = couch("pustu_a")
    created = client.bulk([high]).json[0]
    client.bulk([{"_id": high["_id"], "_rev": created["rev"], "_deleted": True}])
    assert [r.rule for r in task_rows(person)] == ["hipertensi"]  # derived when it landed
    second = visit(person, sbp=170, dbp=100)
    response = client.bulk([{**second, "_deleted": True}])
    assert response.json[0]["ok"]
    assert len(task_rows(person)) == 1


def test_a_desa_without_a_pustu_gets_its_task_at_the_puskesmas(couch, world):
    person = man(desa=f.DESA_B)
    push(couch("pustu_b"), person, visit(person, sbp=150, dbp=95))
    [row] = task_rows(person)
    assert row.assigned_place_id == world.puskesmas["_id"] and row.desa == f.DESA_B


def test_new_edits_mode_derives_too(couch):
    person = man()
    results = couch("pustu_a").bulk([person, visit(person, sbp=160, dbp=90)]).json
    assert all(r["ok"] for r in results)
    assert [r.rule for r in task_rows(person)] == ["hipertensi"]


def test_on_write_only_visits_of_the_last_ninety_days_derive(couch):
    person = man()
    old = {**visit(person, sbp=170, dbp=100), "date": (TODAY - dt.timedelta(days=91)).isoformat()}
    push(couch("kader_a"), person, old)
    assert task_rows(person) == []
    late = {**visit(person, sbp=170, dbp=100), "date": (TODAY - dt.timedelta(days=90)).isoformat()}
    push(couch("kader_a"), late)
    assert [r.origin_id for r in task_rows(person)] == [late["_id"]]
