"""The board over facts derived through the write path (backend/pws/refresh.py hooked into
backend.writes): documents in, pws_events and growth_points by the clinical evaluator, the
board's numbers out, on SQLite and PostgreSQL — the same numbers the person-by-person
reference counts."""

from __future__ import annotations

import pytest

from backend.db import read_transaction
from backend.pws import compute
from backend.pws.catalogue import catalogue
from backend.pws.months import Month
from backend.writes import save_docs
from tests import factories as f
from tests.pws import reference

JUNE = Month(2026, 6)


def saved(docs):
    results = save_docs(docs, None)
    assert all(r.get("ok") for r in results), results


@pytest.fixture
def written(world):
    mother = f.person(f.DESA_A, name="Ani", sex="P", birth_date="1995-04-04")
    pregnancy = f.pregnancy(mother, hpht="2026-03-01")
    # Day 80 of the pregnancy: trimester 1 (maternal.json), so K1 and K1 murni in May.
    visit = f.encounter(mother, date="2026-05-20", setting="pustu",
                        pregnancy=pregnancy["_id"], services=[{"code": "anc"}])
    child = f.person(f.DESA_B, name="Bayu", sex="L", birth_date="2025-01-10")
    weighings = [f.encounter(child, date=day, measurements={"weight_kg": kg})
                 for day, kg in (("2026-05-10", 9.0), ("2026-06-10", 9.4))]
    saved([mother, pregnancy, visit, child, *weighings])


def test_board_counts_what_the_write_path_derived(written):
    with read_transaction() as conn:
        board = compute.board(conn, (f.DESA_A, f.DESA_B), JUNE)
    cell = {(c["indicator"], c["desa"]): c for c in board["cells"]}
    # K1 in May: June's month count 0, cumulative 1, of the 1 registered pregnant woman.
    for indicator in ("k1", "k1_murni"):
        got = cell[(indicator, f.DESA_A)]
        assert (got["num_month"], got["num_cum"], got["denominator"],
                got["denominator_source"]) == (0, 1, 1, "terdaftar")
    # D/S in B: Bayu weighed in June, the only balita of B.
    ds = cell[("ds", f.DESA_B)]
    assert (ds["num_month"], ds["denominator"], ds["coverage_month"]) == (1, 1, 100.0)
    # N/D's denominator: weighed in June and in May.
    assert cell[("nd", f.DESA_B)]["denominator"] == 1


@pytest.mark.parametrize("month", [Month(2026, 5), JUNE])
def test_board_agrees_with_the_reference_on_derived_facts(written, month):
    cat = catalogue()
    desa = (f.DESA_A, f.DESA_B)
    with read_transaction() as conn:
        expected = reference.numbers(cat, reference.Rows(conn, desa), desa, month,
                                     cat.indicators)
        board = compute.board(conn, desa, month)
    assert {(c["indicator"], c["desa"]): (c["num_month"], c["num_cum"], c["denominator"],
                                          c["denominator_source"])
            for c in board["cells"]} == expected
