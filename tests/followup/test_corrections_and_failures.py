"""A correction that no longer has the finding cancels the open task of the visit it corrects;
what the evaluator cannot classify derives nothing and refuses nothing; a crash while deriving
leaves the store as it was."""

from __future__ import annotations

import logging

import pytest

from backend.db import read_transaction
from backend.followup import derive as deriver
from backend.followup.tasks import CORRECTED, SYSTEM, task_id
from backend.sync import reads
from backend.writes import save_docs
from tests.followup.conftest import man, push, task_rows, visit
from tests.followup.test_no_duplicates import close


def correction(of: dict, **measurements) -> dict:
    return {**visit({"_id": of["person"], "desa": of["desa"]}, **measurements),
            "corrects": of["_id"]}


def test_a_correction_without_the_finding_cancels_the_open_task(couch):
    person = man()
    typo = visit(person, sbp=186, dbp=98, glucose_mgdl=230)
    push(couch("kader_a"), person, typo)
    fixed = correction(typo, sbp=118, dbp=78, glucose_mgdl=230)
    push(couch("kader_a"), fixed)
    rows = {r.rule: r for r in task_rows(person)}
    assert (rows["hipertensi"].status, rows["hipertensi"].outcome) == ("cancelled", CORRECTED)
    assert rows["diabetes"].status == "open"  # the correction still finds it
    assert rows["diabetes"].origin_id == typo["_id"] and len(rows) == 2
    with read_transaction() as conn:
        cancelled = reads.get_doc(conn, rows["hipertensi"].id, None, reads.ReadOptions())
    assert cancelled["updated_by"] == SYSTEM and "status" in cancelled["field_ts"]


def test_a_correction_of_a_correction_reaches_the_first_visits_task(couch):
    person = man()
    first = visit(person, sbp=170, dbp=100)
    push(couch("kader_a"), person, first)
    second = correction(first, sbp=168, dbp=99)     # still high: the first task stays
    push(couch("kader_a"), second)
    assert [(r.origin_id, r.status) for r in task_rows(person)] == [(first["_id"], "open")]
    push(couch("kader_a"), correction(second, sbp=120, dbp=80))
    assert [r.status for r in task_rows(person)] == ["cancelled"]


def test_a_task_the_bidan_started_is_hers_to_close(couch):
    person = man()
    typo = visit(person, sbp=186, dbp=98)
    push(couch("kader_a"), person, typo)
    close(task_id(typo["_id"], "hipertensi"), status="in_progress")
    push(couch("kader_a"), correction(typo, sbp=118, dbp=78))
    assert [r.status for r in task_rows(person)] == ["in_progress"]


def test_an_original_and_its_correction_in_one_batch_derive_from_the_correction(couch):
    person = man()
    typo = visit(person, sbp=186, dbp=98)
    fixed = correction(typo, sbp=150, dbp=92)
    push(couch("kader_a"), person, fixed, typo)
    assert [r.origin_id for r in task_rows(person)] == [fixed["_id"]]


def test_what_the_evaluator_cannot_classify_derives_nothing_and_is_logged(couch, caplog):
    person = man()
    odd = visit(person, sbp=168, dbp=98)
    odd["screenings"] = [{"instrument": "srq20", "answers": {"1": "mungkin"}}]
    with caplog.at_level(logging.WARNING, logger="backend.followup.derive"):
        push(couch("kader_a"), person, odd)
    assert couch("pustu_a").get(f"/{odd['_id']}").status_code == 200  # the visit landed
    assert task_rows(person) == []
    assert odd["_id"] in caplog.text


def test_a_crash_while_deriving_leaves_nothing_behind(app, couch, monkeypatch):
    person = man()
    with read_transaction() as conn:
        before = reads.info(conn, "siklus")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(deriver, "new_task", broken)
    with pytest.raises(RuntimeError):
        save_docs([person, visit(person, sbp=168, dbp=98)], None)
    with read_transaction() as conn:
        assert reads.info(conn, "siklus") == before
    assert task_rows() == []
