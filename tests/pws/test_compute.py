"""The PWS board computed over the hand-built village (tests/pws/village.py), on SQLite and
PostgreSQL: every indicator's numerators and denominator against the numbers worked out by
hand, the target line, gap, status, rank, totals and the 12-month trend."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from backend.db import read_transaction, write_transaction
from backend.pws import compute, groups
from backend.pws.catalogue import catalogue
from backend.pws.months import Month
from tests.factories import DESA_A, DESA_B
from tests.pws import reference, village


@pytest.fixture
def built(app, world):
    with write_transaction() as conn:
        village.build(conn)


def _board(month=village.MONTH, desa=(DESA_A, DESA_B), cluster=None):
    with read_transaction() as conn:
        return compute.board(conn, desa, month, cluster)


def test_every_indicator_has_hand_worked_numbers():
    assert {i for i, _ in village.EXPECTED} == set(catalogue().ids)


def test_board_numbers_match_the_hand_worked_village(built):
    board = _board()
    got = {(c["indicator"], c["desa"]): (c["num_month"], c["num_cum"], c["denominator"],
                                         c["denominator_source"]) for c in board["cells"]}
    assert got == village.EXPECTED
    assert board["desa"] == [{"code": DESA_A, "name": "Cikalong"},
                             {"code": DESA_B, "name": "Mekarjaya"}]
    assert board["months_elapsed"] == 6


def test_percentages_target_line_gap_and_status(built):
    board = _board()
    cell = {(c["indicator"], c["desa"]): c for c in board["cells"]}
    # K4 in A: 1 of 20 this month = 5.0 %, cumulative the same; May had none (0.0 %).
    k4 = cell[("k4", DESA_A)]
    assert (k4["coverage_month"], k4["coverage_cum"], k4["prev_coverage_month"]) == (5.0, 5.0, 0.0)
    # target 95 % × 6/12 = 47.5 %: ceil(0.475 × 20) = 10 persons, 1 reached → 9 missing.
    assert (k4["target_cum"], k4["gap_persons"]) == (47.5, 9)
    assert (k4["status"], k4["direction"]) == ("cukup", "naik")
    # K1 in A: cumulative 1/20 = 5 % under 100 × 6/12 = 50 %; June 0 % vs May 0 % → tetap.
    k1 = cell[("k1", DESA_A)]
    assert (k1["coverage_month"], k1["target_cum"], k1["gap_persons"]) == (0.0, 50.0, 9)
    assert (k1["status"], k1["direction"]) == ("cukup", "tetap")
    # kn1 A: 1 of 17 = 5.88.. → 5.9 %.
    assert cell[("kn1", DESA_A)]["coverage_cum"] == 5.9
    # No denominator: percentages, gap and status are null.
    pf_b = cell[("pf", DESA_B)]
    assert (pf_b["coverage_cum"], pf_b["gap_persons"], pf_b["status"], pf_b["rank"]) == (
        None, None, None, None)
    # Stunting is a ceiling: 14 % of 1 measured = 0.14 → floor 0; 1 stunted → 1 above it;
    # 100 % is above the 14 % ceiling; nobody was measured in May, so there is no previous
    # month to compare (status.py: counts as not worsening) → cukup, direction tetap.
    st = cell[("stunting", DESA_A)]
    assert (st["coverage_cum"], st["target_cum"], st["gap_persons"]) == (100.0, 14.0, 1)
    assert (st["prev_coverage_month"], st["status"], st["direction"]) == (None, "cukup", "tetap")
    # Vitamin A, semester: 90 % × 6/6 = 90 %; A 1 of 2 = 50 %.
    va = cell[("vitamin_a", DESA_A)]
    assert (va["coverage_cum"], va["target_cum"], va["gap_persons"]) == (50.0, 90.0, 1)
    # D/S monthly: target 85 % itself; A 2 of 10 → ceil(8.5) - 2 = 7.
    ds = cell[("ds", DESA_A)]
    assert (ds["coverage_month"], ds["target_cum"], ds["gap_persons"]) == (20.0, 85.0, 7)


def test_rank_and_totals(built):
    board = _board()
    cell = {(c["indicator"], c["desa"]): c for c in board["cells"]}
    # K1: B 100 % ranks above A 5 %.
    assert (cell[("k1", DESA_B)]["rank"], cell[("k1", DESA_A)]["rank"]) == (1, 2)
    # Stunting (lower is better): both 100 % → both rank 1.
    assert (cell[("stunting", DESA_A)]["rank"], cell[("stunting", DESA_B)]["rank"]) == (1, 1)
    total = {t["indicator"]: t for t in board["totals"]}
    # K1 Puskesmas: cumulative 1 + 1 of 20 + 1 = 21 → 9.5 %; sources resmi + terdaftar.
    assert (total["k1"]["num_cum"], total["k1"]["denominator"]) == (2, 21)
    assert total["k1"]["coverage_cum"] == 9.5
    assert total["k1"]["denominator_source"] == "terdaftar"
    assert total["k1"]["rank"] is None


def test_cluster_filter_and_scope_subset(built):
    board = _board(cluster="3", desa=(DESA_B,))
    assert {i["cluster"] for i in board["indicators"]} == {"3"}
    assert {c["desa"] for c in board["cells"]} == {DESA_B}


def test_previous_month_of_january_is_last_december(built):
    # January 2026: ht_terlayani in A on 10 January; December 2025 had no facts.
    board = _board(month=Month(2026, 1))
    cell = {(c["indicator"], c["desa"]): c for c in board["cells"]}
    ht = cell[("hipertensi", DESA_A)]
    assert (ht["num_month"], ht["num_cum"], ht["denominator"]) == (1, 1, 2)
    assert ht["prev_coverage_month"] == 0.0
    assert ht["target_cum"] == 8.3   # 100 × 1/12


def test_trend_is_twelve_months_of_the_same_numbers(built):
    with read_transaction() as conn:
        trend = compute.trend(conn, DESA_A, "hipertensi",
                              village.MONTH)
    points = trend["points"]
    assert len(points) == 12
    assert (points[0]["month"], points[-1]["month"]) == ("2025-07", "2026-06")
    by_month = {p["month"]: p for p in points}
    # Served in January and June: cumulative 1 from January on (one person), reset per year.
    assert [by_month[m]["num_cum"] for m in ("2025-12", "2026-01", "2026-05", "2026-06")] == [
        0, 1, 1, 1]
    assert [by_month[m]["num_month"] for m in ("2026-01", "2026-02", "2026-06")] == [1, 0, 1]
    assert by_month["2026-06"]["denominator"] == 2
    board = {(c["indicator"], c["desa"]): c for c in _board()["cells"]}
    june = board[("hipertensi", DESA_A)]
    assert {k: by_month["2026-06"][k] for k in ("num_cum", "coverage_cum", "status")} == {
        k: june[k] for k in ("num_cum", "coverage_cum", "status")}


def test_unknown_indicator_is_a_key_error(built):
    with read_transaction() as conn, pytest.raises(KeyError):
        compute.trend(conn, DESA_A, "nope", village.MONTH)


@pytest.mark.parametrize("on,months,expected", [
    (dt.date(2025, 2, 28), 12, dt.date(2024, 2, 29)),   # born 29 Feb: 12 months on 28 Feb
    (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2026, 6, 30), 60, dt.date(2021, 6, 30)),
])
def test_latest_birth(on, months, expected):
    assert groups.latest_birth(on, months) == expected


@pytest.mark.parametrize("month", [Month(2026, 1), Month(2026, 3), village.MONTH,
                                   Month(2026, 7), Month(2026, 12)])
def test_sql_agrees_with_the_person_by_person_reference(built, month):
    """The naive Python count (tests/pws/reference.py) and the set-based SQL agree on every
    cell, in months around the village's facts too."""
    cat = catalogue()
    desa = (DESA_A, DESA_B)
    with read_transaction() as conn:
        expected = reference.numbers(cat, reference.Rows(conn, desa), desa, month,
                                     cat.indicators)
        board = compute.board(conn, desa, month)
    got = {(c["indicator"], c["desa"]): (c["num_month"], c["num_cum"], c["denominator"],
                                         c["denominator_source"]) for c in board["cells"]}
    assert got == expected


@pytest.mark.parametrize("month", [Month(2026, 1), village.MONTH, Month(2026, 12)])
def test_group_members_and_counts_agree(built, month):
    """`members` (the drill-down's list) and `counts` (the denominator) are two SQL forms of
    one rule: they agree on every group of the catalogue."""
    desa = (DESA_A, DESA_B)
    keys = sorted(catalogue().groups)
    with read_transaction() as conn:
        counted = groups.counts(keys, desa, [month], conn)
        for key in keys:
            listed = conn.execute(groups.members(key, desa, month)).all()
            for code in desa:
                assert counted.get((month, code, key), 0) == sum(
                    1 for _, d in listed if d == code), (key, code)
            assert len({p for p, _ in listed}) == len(listed)


def test_competition_ranking():
    cells = [{"_coverage_cum": v} for v in (Fraction(50), None, Fraction(80), Fraction(50),
                                            Fraction(10))]
    compute._rank(cells, lower_is_better=False)
    assert [c["rank"] for c in cells] == [2, None, 1, 2, 4]
    compute._rank(cells, lower_is_better=True)
    assert [c["rank"] for c in cells] == [2, None, 4, 2, 1]
