"""Golden-vector loading and matching for tests/clinical (JS twin: tests/js/helpers.mjs)."""

from __future__ import annotations

import json
from pathlib import Path

from backend import clinical
from backend.clinical import duplicates

VECTOR_DIR = Path(__file__).resolve().parents[1] / "vectors"


def _findings(config: dict, **kwargs) -> dict:
    """One encounter's findings and the follow-ups they lead to, as the server derives them."""
    found = clinical.encounter_findings(config, **kwargs)
    return {"findings": found, "follow_ups": clinical.follow_ups(config, findings=found)}


RULES = {
    "classify_bmi": clinical.classify_bmi,
    "classify_bp": clinical.classify_bp,
    "classify_fever": clinical.classify_fever,
    "classify_glucose": clinical.classify_glucose,
    "classify_hb": clinical.classify_hb,
    "classify_muac": clinical.classify_muac,
    "classify_waist": clinical.classify_waist,
    "due_list": clinical.due_list,
    "duplicates_candidates": duplicates.candidates,
    "duplicates_compare": duplicates.compare,
    "family_health_index": clinical.family_health_index,
    "findings": _findings,
    "growth": clinical.growth_zscores,
    "instrument": clinical.score_instrument,
    "kpsp_form": clinical.kpsp_form,
    "life_stage": clinical.life_stage,
    "past_doses": clinical.past_doses,
    "pregnancy_dating": clinical.pregnancy_dating,
    "quality_flags": clinical.quality_flags,
    "quality_entry": clinical.entry_warnings,
    "route": clinical.route,
    "weight_trend": clinical.weight_trend,
}


# Vectors of document rules share the folder; tests/foundation/test_field_ts.py runs them.
# PWS status vectors are server-only: tests/pws/test_status.py runs them.
NOT_CLINICAL = frozenset({"field_ts", "pws_status"})


def vector_files() -> list[tuple[str, dict]]:
    files = [(path.name, json.loads(path.read_text(encoding="utf-8")))
             for path in sorted(VECTOR_DIR.glob("*.json"))]
    return [(name, data) for name, data in files if data["rule"] not in NOT_CLINICAL]


def all_cases() -> list[tuple[str, str, dict]]:
    return [(name, data["rule"], case) for name, data in vector_files() for case in data["cases"]]


def mismatches(expected: object, actual: object, where: str = "$") -> list[str]:
    """Expected is a subset of actual; an object expected where a list of items is found
    matches items by `code`; `absent_items` lists item codes that must not appear;
    `item_order` lists item codes that must appear in that order (others may come between)."""
    if isinstance(expected, dict):
        if isinstance(actual, list):
            return _match_items(expected, actual, where)
        if not isinstance(actual, dict):
            return [f"{where}: expected object, got {actual!r}"]
        found = []
        for key, value in expected.items():
            if key == "absent_items":
                codes = {item["code"] for item in actual.get("items", [])}
                found += [f"{where}.items: {code} should be absent" for code in value
                          if code in codes]
            elif key == "item_order":
                found += _order_mismatch(value, actual.get("items", []), where)
            else:
                found += mismatches(value, actual.get(key), f"{where}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        return [m for i, value in enumerate(expected)
                for m in mismatches(value, actual[i], f"{where}[{i}]")]
    return [] if _same(expected, actual) else [f"{where}: expected {expected!r}, got {actual!r}"]


def _same(expected: object, actual: object) -> bool:
    """Numbers compare by value (JSON and JavaScript do not tell 1 from 1.0); booleans and
    everything else strictly."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    return expected == actual and type(expected) is type(actual)


def _match_items(expected: dict, items: list, where: str) -> list[str]:
    found = []
    for code, value in expected.items():
        item = next((candidate for candidate in items if candidate.get("code") == code), None)
        found += [f"{where}: no item {code}"] if item is None else mismatches(
            value, item, f"{where}[{code}]")
    return found


def _order_mismatch(codes: list[str], items: list, where: str) -> list[str]:
    listed = [item["code"] for item in items if item["code"] in codes]
    return [] if listed == codes else [f"{where}.items: order {listed!r}, expected {codes!r}"]
