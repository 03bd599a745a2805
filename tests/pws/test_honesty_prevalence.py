"""PWS honesty on SQLite and PostgreSQL (docs/review.md "PWS honesty"): a growth value whose
encounter carries an open flag of a `pws_exclude` rule leaves the prevalence indicators
(numerator and denominator) until a reviewer resolves the flag; coverage indicators keep it;
pws.json `flagged_values.exclude: false` keeps it everywhere. Over the hand-built village
(tests/pws/village.py) with flag rows inserted straight into quality_flags and a quality
config of two rules, one excluding."""

from __future__ import annotations

import copy

import pytest

from backend.clinical.config import default_config
from backend.db import read_transaction, write_transaction
from backend.projections.tables import quality_flags
from backend.pws import compute, drilldown
from backend.pws.catalogue import flagged_rules, from_config, problems
from backend.review.tables import reviews
from tests.factories import DESA_A, DESA_B
from tests.pws import village

PWS = default_config()["pws"]
QUALITY = {"rules": [{"id": "tb_tidak_wajar", "pws_exclude": True},
                     {"id": "kunjungan_sebelum_lahir"}]}
# a_balita1's June visit: height 85 cm, TB/U pendek, BB/U normal, BB/TB gizi baik.
VISIT = "enc-a_balita1-2026-06-10"


def _catalogue(exclude: bool = True):
    pws = copy.deepcopy(PWS)
    pws["flagged_values"]["exclude"] = exclude
    return from_config(pws, QUALITY)


def _flag(rule: str, doc: str = VISIT) -> dict:
    return {"doc_id": doc, "doc_type": "encounter", "person_id": "a_balita1", "desa": DESA_A,
            "date": village.D(2026, 6, 10), "rule": rule, "field": "measurements.height_cm",
            "detail": "tinggi badan tidak wajar untuk umurnya"}


def _verdict(status: str, rules: str) -> dict:
    return {"doc_id": VISIT, "doc_type": "encounter", "desa": DESA_A,
            "person_id": "a_balita1", "date": village.D(2026, 6, 10), "rev": "1-a",
            "status": status, "rules": rules, "note": None, "task_id": None,
            "reviewed_by": "klaster2", "reviewed_at": "2026-07-02T09:00:00Z"}


@pytest.fixture
def built(app, world):
    with write_transaction() as conn:
        village.build(conn)


def _insert(table, rows):
    with write_transaction() as conn:
        conn.execute(table.insert(), rows)


def _cells(cat) -> dict:
    with read_transaction() as conn:
        board = compute.board(conn, (DESA_A, DESA_B), village.MONTH, cat=cat)
    return {(c["indicator"], c["desa"]): (c["num_month"], c["denominator"])
            for c in board["cells"]}


def _stunted_in_gap(cat) -> set[str]:
    indicator = cat.get("stunting")
    with read_transaction() as conn:
        ids, _ = drilldown.gap_person_ids(conn, cat, indicator, DESA_A, village.MONTH, 50)
    return set(ids)


# The village's June numbers of desa A without any flag (tests/pws/village.py EXPECTED):
CLEAN = {("stunting", DESA_A): (1, 1), ("wasting", DESA_A): (0, 1),
         ("underweight", DESA_A): (1, 2), ("overweight", DESA_A): (0, 1),
         ("ds", DESA_A): (2, 10), ("bgm", DESA_A): (0, 2), ("stunting", DESA_B): (1, 1)}
# With a_balita1's June visit left out of the prevalences: stunting and BB/TB lose their only
# measured child; underweight keeps a_balita2 (1 of 1); D/S and BGM still count the weighing.
FLAGGED = {("stunting", DESA_A): (0, 0), ("wasting", DESA_A): (0, 0),
           ("underweight", DESA_A): (1, 1), ("overweight", DESA_A): (0, 0),
           ("ds", DESA_A): (2, 10), ("bgm", DESA_A): (0, 2), ("stunting", DESA_B): (1, 1)}


def _subset(cells: dict) -> dict:
    return {key: cells[key] for key in CLEAN}


def test_the_repository_config_is_valid_and_switched_on():
    assert problems(PWS, default_config()["growth"]) == []
    assert PWS["flagged_values"]["exclude"] is True
    assert flagged_rules(PWS, QUALITY) == ("tb_tidak_wajar",)


def test_a_flagged_measurement_leaves_the_prevalences_but_not_coverage(built):
    cat = _catalogue()
    assert _subset(_cells(cat)) == CLEAN
    assert _stunted_in_gap(cat) == {"a_balita1"}
    _insert(quality_flags, [_flag("tb_tidak_wajar")])
    assert _subset(_cells(cat)) == FLAGGED
    assert _stunted_in_gap(cat) == set()


def test_verified_benar_it_counts_again(built):
    cat = _catalogue()
    _insert(quality_flags, [_flag("tb_tidak_wajar")])
    _insert(reviews, [_verdict("benar", "tb_tidak_wajar")])
    assert _subset(_cells(cat)) == CLEAN
    assert _stunted_in_gap(cat) == {"a_balita1"}


def test_a_correction_asked_keeps_it_out(built):
    cat = _catalogue()
    _insert(quality_flags, [_flag("tb_tidak_wajar")])
    _insert(reviews, [_verdict("perbaikan", "tb_tidak_wajar")])
    assert _subset(_cells(cat)) == FLAGGED


def test_a_rule_not_marked_pws_exclude_leaves_it_in(built):
    _insert(quality_flags, [_flag("kunjungan_sebelum_lahir")])
    assert _subset(_cells(_catalogue())) == CLEAN


def test_exclude_false_keeps_flagged_values(built):
    cat = _catalogue(exclude=False)
    assert cat.flagged_rules == ()
    _insert(quality_flags, [_flag("tb_tidak_wajar")])
    assert _subset(_cells(cat)) == CLEAN
    assert _stunted_in_gap(cat) == {"a_balita1"}


def test_the_board_says_what_it_leaves_out_and_counts_the_doubt(built):
    _insert(quality_flags, [_flag("tb_tidak_wajar"), _flag("kunjungan_sebelum_lahir")])
    with read_transaction() as conn:
        on = compute.board(conn, (DESA_A, DESA_B), village.MONTH, cat=_catalogue())["doubt"]
        off = compute.board(conn, (DESA_A,), village.MONTH, cat=_catalogue(False))["doubt"]
        trend = compute.trend(conn, DESA_A, "stunting", village.MONTH, cat=_catalogue())
    # one record with two open rules counts once
    assert on == {"excludes_flagged": True, "desa": [
        {"desa": DESA_A, "open_flags": 1, "duplicates": 0},
        {"desa": DESA_B, "open_flags": 0, "duplicates": 0}]}
    assert off["excludes_flagged"] is False
    june = trend["points"][-1]
    assert (june["month"], june["open_flags"], june["denominator"]) == ("2026-06", 1, 0)
    assert trend["excludes_flagged"] is True


def test_the_board_api_carries_the_counts_for_dinkes(built, login):
    _insert(quality_flags, [_flag("kunjungan_sebelum_lahir")])
    response = login("dinkes").get("/api/v1/pws/board?month=2026-06")
    assert response.status_code == 200, response.json
    doubt = response.json["doubt"]
    assert {d["desa"]: d["open_flags"] for d in doubt["desa"]} == {DESA_A: 1, DESA_B: 0}
    # counts only: no record or person named
    assert set(doubt["desa"][0]) == {"desa", "open_flags", "duplicates"}
    trend = login("kapus").get(
        f"/api/v1/pws/trend?desa={DESA_A}&indicator=stunting&month=2026-06")
    assert trend.json["points"][-1]["open_flags"] == 1
