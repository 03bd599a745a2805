"""Every golden vector in tests/vectors against the Python evaluator (the same files run
against JavaScript in tests/js/vectors.test.mjs)."""

from __future__ import annotations

import pytest

from backend.clinical import ClinicalInputError, default_config
from tests.clinical.vectors import RULES, all_cases, mismatches

CASES = all_cases()


@pytest.mark.parametrize(("rule", "case"), [(rule, case) for _, rule, case in CASES],
                         ids=[f"{name}:{case['name']}" for name, _, case in CASES])
def test_vector(rule: str, case: dict) -> None:
    evaluate = RULES[rule]
    if "error_field" in case["expected"]:
        with pytest.raises(ClinicalInputError) as raised:
            evaluate(default_config(), **case["input"])
        assert raised.value.field == case["expected"]["error_field"]
        return
    assert mismatches(case["expected"], evaluate(default_config(), **case["input"])) == []


def test_there_are_enough_vectors() -> None:
    assert len(CASES) >= 300
