"""One thing to do per person and finding: retries, a second visit that finds it again, and a
second derivation never add a task or touch one somebody closed."""

from __future__ import annotations

import datetime as dt

from backend.db import write_transaction
from backend.followup.inputs import bodies
from backend.followup.tasks import task_id
from backend.writes import save_docs, write_docs
from tests.followup.conftest import TODAY, man, push, replicated, task_rows, visit


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def close(task_doc_id: str, status: str = "done", **fields) -> None:
    with write_transaction() as conn:
        current = bodies(conn, [task_doc_id])[task_doc_id]
        results = write_docs(conn, [{**current, "status": status, **fields}], None)
    assert results[0]["ok"], results


def test_pushing_the_same_encounter_twice_makes_one_task(couch):
    person = man()
    encounter = visit(person, sbp=168, dbp=98)
    batch = replicated(person, encounter)
    client = couch("kader_a")
    for _ in range(2):
        assert all(r.get("ok", True) for r in client.bulk(batch, new_edits=False).json)
    # A second revision of the same visit (an edit from another device) derives the same id.
    edited = {**batch[1], "_rev": "2-b", "_revisions": {"start": 2, "ids": ["b", batch[1][
        "_rev"].split("-")[1]]}, "notes": "diulang"}
    client.bulk([edited], new_edits=False)
    assert [r.id for r in task_rows(person)] == [task_id(encounter["_id"], "hipertensi")]


def test_a_second_visit_with_the_same_finding_while_the_task_is_open_adds_nothing(couch):
    person = man()
    first = visit(person, sbp=168, dbp=98)
    push(couch("kader_a"), person, first)
    push(couch("kader_a"), visit(person, sbp=172, dbp=101))
    [row] = task_rows(person)
    assert row.origin_id == first["_id"]
    close(row.id, status="in_progress")
    push(couch("kader_a"), visit(person, sbp=165, dbp=99))
    assert len(task_rows(person)) == 1


def test_two_visits_in_one_batch_make_one_task_from_the_earlier(couch):
    person = man()
    later = {**visit(person, sbp=150, dbp=95), "date": days_ago(10)}
    earlier = {**visit(person, sbp=160, dbp=99), "date": days_ago(20)}
    push(couch("kader_a"), person, later, earlier)
    [row] = task_rows(person)
    assert row.origin_id == earlier["_id"]


def test_a_closed_task_is_never_reopened_and_a_new_finding_after_it_is_a_new_task(couch):
    person = man()
    first = visit(person, sbp=168, dbp=98)
    push(couch("kader_a"), person, first)
    [row] = task_rows(person)
    close(row.id, outcome_code="datang", outcome="TD 150/90, obat diambil")
    # The same encounter derived again (a retried push) leaves the closed task as it is.
    save_docs(replicated(first), None, new_edits=False)
    push(couch("kader_a"), first)
    assert [(r.id, r.status) for r in task_rows(person)] == [(row.id, "done")]
    later = visit(person, sbp=166, dbp=97)
    push(couch("kader_a"), later)
    statuses = {r.origin_id: r.status for r in task_rows(person)}
    assert statuses == {first["_id"]: "done", later["_id"]: "open"}


def test_a_deleted_task_is_not_derived_again(couch):
    person = man()
    encounter = visit(person, sbp=168, dbp=98)
    push(couch("kader_a"), person, encounter)
    doc_id = task_id(encounter["_id"], "hipertensi")
    close(doc_id, status="open", _deleted=True)
    push(couch("kader_a"), encounter)   # pushed again: the tombstone stays
    assert task_rows(person) == []


def test_an_open_referral_stands_for_the_findings_it_covers(couch):
    """A kader refers a hypertensive man to the Pustu: one task (the referral, naming the
    blood pressure). A later visit that finds the same pressure adds nothing while it is open."""
    person = man()
    referred = {**visit(person, sbp=168, dbp=98, glucose_mgdl=215, glucose_type="GDS"),
                "referral": {"to": "Pustu", "reason": "Tekanan darah tinggi"}}
    push(couch("kader_a"), person, referred)
    [row] = task_rows(person)
    with write_transaction() as conn:
        task = bodies(conn, [row.id])[row.id]
    assert task["rule"] == "rujukan" and set(task["covers"]) >= {"hipertensi", "diabetes"}
    push(couch("kader_a"), visit(person, sbp=170, dbp=100))
    assert len(task_rows(person)) == 1
