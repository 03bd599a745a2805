"""The PWS-KIA status rule against its golden vectors (tests/vectors/pws_status.json).

The status is computed on the server only (the board API sends it), so these vectors have no
JavaScript twin: tests/clinical/vectors.py and tests/js/helpers.mjs leave them out
(NOT_CLINICAL) and this file runs them (docs/pws.md, "Status")."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from backend.clinical.config import load_config
from backend.pws.status import LABELS, STATUSES, direction, pws_status
from tests.clinical.vectors import VECTOR_DIR, mismatches, vector_files

VECTORS = json.loads((VECTOR_DIR / "pws_status.json").read_text(encoding="utf-8"))
CASES = VECTORS["cases"]


def evaluate(case: dict) -> dict:
    given = case["input"]
    return {"status": pws_status(**given),
            "direction": direction(given["coverage_month"], given["previous_month"])}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(case: dict) -> None:
    assert mismatches(case["expected"], evaluate(case)) == []


def test_vectors_cover_every_status_on_both_kinds_of_target() -> None:
    for lower in (False, True):
        found = {case["expected"]["status"] for case in CASES
                 if case["input"].get("lower_is_better", False) is lower}
        assert found == {*STATUSES, None}


def test_vectors_are_not_run_as_clinical_vectors() -> None:
    assert "pws_status.json" not in {name for name, _ in vector_files()}
    helpers = Path(__file__).resolve().parents[1] / "js" / "helpers.mjs"
    assert "'pws_status'" in helpers.read_text(encoding="utf-8")


def test_every_status_has_an_indonesian_label() -> None:
    assert set(LABELS) == set(STATUSES)


def test_decisions_are_recorded_in_pws_json() -> None:
    status = load_config(with_tables=False)["pws"]["status"]
    assert status["cfg"] is True and len(status["decisions"]) >= 4


def test_exact_fractions_from_the_board_compare_exactly() -> None:
    """The board passes Fractions: 1 of 12 against 100 % × 1/12 is exactly at the line, and
    94.96 % (shown 95.0) is below a 95 % target."""
    line = Fraction(100) * 1 / 12
    assert pws_status(Fraction(100, 12), line, None, None) == "baik"
    assert pws_status(Fraction(9496, 100), Fraction(95), Fraction(10), Fraction(10)) == "cukup"
    assert direction(Fraction(1, 3), Fraction(1, 3)) == "tetap"
