"""`flask derive-followup`: tasks for encounters stored before the server derived them, once."""

from __future__ import annotations

import datetime as dt
import logging

from backend import derivations
from tests.followup.conftest import man, push, task_rows, visit


def test_derive_followup_derives_old_encounters_once_and_honours_since(couch, runner,
                                                                       monkeypatch):
    person, other = man(), man()
    old = {**visit(person, sbp=170, dbp=100), "date": "2026-01-10"}
    older = {**visit(other, glucose_mgdl=260, glucose_type="GDS"), "date": "2025-06-01"}
    with monkeypatch.context() as patched:   # as the server stored them before this feature
        patched.setattr(derivations, "derived", lambda conn, changes, **kwargs: [])
        push(couch("kader_a"), person, other, old, older)
    assert task_rows() == []

    result = runner.invoke(args=["derive-followup", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "Read 1 encounters: 1 follow-up tasks created, 0 cancelled." in result.output
    [row] = task_rows()
    assert (row.origin_id, row.rule) == (old["_id"], "hipertensi")
    assert row.due_date == dt.date(2026, 1, 17)

    result = runner.invoke(args=["derive-followup"])
    assert "Read 2 encounters: 1 follow-up tasks created" in result.output
    again = runner.invoke(args=["derive-followup"])
    assert "0 follow-up tasks created, 0 cancelled." in again.output
    assert sorted(r.rule for r in task_rows()) == ["diabetes", "hipertensi"]


def test_derive_followup_refuses_a_date_that_is_not_one(runner):
    result = runner.invoke(args=["derive-followup", "--since", "30-11-2026"])
    assert result.exit_code != 0 and "%Y-%m-%d" in result.output


def test_a_task_the_store_refuses_is_logged_and_left_out(couch, runner, caplog):
    """A visit stored in desa A of a person who has since moved to desa B: its task would link
    a desa-A task to a desa-B person, which the reference rules refuse."""
    person = man()
    old = {**visit(person, sbp=170, dbp=100), "date": "2026-01-10"}
    push(couch("kader_a"), person, old)
    moved = couch("admin").get(f"/{person['_id']}").json
    assert couch("admin").bulk([{**moved, "desa": "3204190002"}]).json[0]["ok"]
    with caplog.at_level(logging.WARNING, logger="backend.writes"):
        result = runner.invoke(args=["derive-followup"])
    assert "0 follow-up tasks created" in result.output
    assert "not written: forbidden" in caplog.text and "belongs to another desa" in caplog.text
    assert task_rows() == []


def test_the_horizon_on_write_is_a_setting(app, couch):
    """A visit 200 days old derives nothing by default (90 days), and derives once the
    installation widens FOLLOWUP_HORIZON_DAYS."""
    first, second = man(), man()
    aged = (dt.date.today() - dt.timedelta(days=200)).isoformat()
    push(couch("kader_a"), first, {**visit(first, sbp=170, dbp=100), "date": aged})
    assert task_rows(first) == []
    app.config["FOLLOWUP_HORIZON_DAYS"] = 365
    push(couch("kader_a"), second, {**visit(second, sbp=170, dbp=100), "date": aged})
    assert [row.rule for row in task_rows(second)] == ["hipertensi"]
