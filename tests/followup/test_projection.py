"""Derived tasks in the read model: every follow-up column filled, and `flask reproject`
rebuilds exactly what the write path projected."""

from __future__ import annotations

from tests.followup.conftest import girl, man, pregnancy_of, push, task_rows, visit
from tests.followup.test_no_duplicates import close


def test_reproject_rebuilds_the_follow_up_columns(couch, runner):
    person, mother = man(), girl()
    pregnancy = pregnancy_of(mother)
    push(couch("kader_a"), person, mother, pregnancy, visit(person, sbp=168, dbp=98),
         {**visit(mother, sbp=150, dbp=100), "pregnancy": pregnancy["_id"]})
    closed = next(r for r in task_rows() if r.rule == "hipertensi")
    close(closed.id, outcome_code="dirujuk", outcome="Dirujuk ke poli PTM")
    before = [tuple(r) for r in task_rows()]
    assert {(r.rule, r.urgent, r.cluster, r.outcome_code) for r in task_rows()} == {
        ("hipertensi", False, None, "dirujuk"), ("hipertensi_hamil", True, "2", None)}

    result = runner.invoke(args=["reproject"])
    assert result.exit_code == 0, result.output
    assert [tuple(r) for r in task_rows()] == before
