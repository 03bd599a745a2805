"""Derived task ids and bodies are functions of the visit and the rule only, so deriving twice,
or on a second server, writes the same document and the same revision."""

from __future__ import annotations

from backend.db import read_transaction
from backend.followup.inputs import bodies
from backend.followup.tasks import new_task, task_id
from backend.sync.revtree import new_rev
from tests.followup.conftest import man, push, visit

VISIT = "encounter:0d5a1c2e-4f8b-4c1a-9e3d-7b6a5c4d3e2f"
FOLLOW_UP = {"rule": "hipertensi_hamil", "reason": "Tekanan darah tinggi pada kehamilan",
             "to": "puskesmas", "cluster": "2", "due_in_days": 1, "urgent": True}
ENCOUNTER = {"desa": "3204190001", "person": "person:1", "date": "2026-11-30",
             "setting": "home", "created_at": "2026-11-30T09:15:00+07:00"}


def test_the_task_id_is_fixed_forever():
    # A changed namespace or name format would derive every stored visit's task again under
    # a new id: this value must never change.
    assert task_id(VISIT, "hipertensi") == "task:cd048187-0428-58db-b1f3-df5f195dc052"
    assert task_id(VISIT, "diabetes") != task_id(VISIT, "hipertensi")
    assert task_id("encounter:other", "hipertensi") != task_id(VISIT, "hipertensi")


def test_the_body_comes_from_the_visit_and_the_follow_up():
    doc = new_task(VISIT, ENCOUNTER, FOLLOW_UP, "place:puskesmas")
    assert doc == new_task(VISIT, dict(ENCOUNTER), dict(FOLLOW_UP), "place:puskesmas")
    assert {k: doc[k] for k in ("desa", "person", "due_date", "created_at", "origin", "cluster",
                                "urgent", "source", "assigned_place", "status")} == {
        "desa": "3204190001", "person": "person:1", "due_date": "2026-12-01",
        "created_at": "2026-11-30T09:15:00+07:00", "origin": VISIT, "cluster": "2",
        "urgent": True, "source": "Temuan kunjungan rumah", "assigned_place": "place:puskesmas",
        "status": "open"}
    plain = new_task(VISIT, ENCOUNTER, {**FOLLOW_UP, "cluster": None}, None)
    assert "cluster" not in plain and "assigned_place" not in plain


def test_the_stored_revision_is_the_one_any_server_computes_from_the_body(couch):
    person = man()
    encounter = visit(person, sbp=170, dbp=100)
    push(couch("kader_a"), person, encounter)
    doc_id = task_id(encounter["_id"], "hipertensi")
    with read_transaction() as conn:
        stored = bodies(conn, [doc_id])[doc_id]
    body = {k: v for k, v in stored.items() if not k.startswith("_")}
    assert stored["_rev"] == new_rev(None, body, False)
