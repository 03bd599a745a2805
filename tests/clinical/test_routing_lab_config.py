"""routing.json and lab.json are well formed: every code they name exists where it is read
(a typo would silently never match)."""

from __future__ import annotations

import pytest

from backend.clinical.config import load_config

CONFIG = load_config(with_tables=False)
ROUTING, LAB = CONFIG["routing"], CONFIG["lab"]
STAGES = [stage["code"] for stage in CONFIG["lifestages"]["stages"]]
SYMPTOMS = [symptom["code"] for symptom in ROUTING["symptoms"]]
WHEN_KEYS = {"arrival", "flag", "stages", "symptoms_all", "instrument"}


def _conditions() -> list[dict]:
    return ([rule["when"] for rule in ROUTING["rules"]] + [ROUTING["priority"]["emergency"]["when"]]
            + [group["when"] for group in ROUTING["priority"]["groups"]])


@pytest.mark.parametrize("when", _conditions())
def test_routing_conditions_name_known_things(when: dict) -> None:
    assert when and set(when) <= WHEN_KEYS
    assert when.get("arrival", "emergency") in ("emergency", "disability")
    assert when.get("flag", "hamil") in CONFIG["lifestages"]["flags"]
    assert set(when.get("stages", [])) <= set(STAGES)
    assert set(when.get("symptoms_all", [])) <= set(SYMPTOMS)
    assert when.get("instrument", "tb_gejala") in CONFIG["instruments"]["instruments"]


def test_routing_clusters_and_fallbacks_cover_every_stage_once() -> None:
    assert {rule["cluster"] for rule in ROUTING["rules"]} <= {"2", "3", "4", "lintas"}
    covered = [stage for rule in ROUTING["rules"] if rule.get("fallback")
               for stage in rule["when"]["stages"]]
    assert sorted(covered) == sorted(STAGES)
    codes = [rule["code"] for rule in ROUTING["rules"]]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("symptom", ROUTING["symptoms"], ids=lambda s: s["code"])
def test_symptoms_have_labels_and_answer_real_instrument_items(symptom: dict) -> None:
    assert symptom["label"]["id"] and symptom["label"]["en"]
    for instrument, item in symptom["items"].items():
        spec = CONFIG["instruments"]["instruments"][instrument]
        items = [i["id"] for group in ("main", "additional", "modifiers", "items")
                 for i in spec.get(group, [])]
        assert item in items


@pytest.mark.parametrize("test", LAB["tests"], ids=lambda t: t["code"])
def test_lab_tests_are_complete(test: dict) -> None:
    assert test["label"]["id"] and test["label"]["en"] and test["short"] and test["source"]
    if test["kind"] == "measurement":
        assert test["measurement"] in CONFIG["classifiers"]["input_limits"]
        assert "limits" not in test
    elif test["kind"] == "numeric":
        low, high = test["limits"]
        assert low < high and test["unit"]
    else:
        assert test["kind"] == "categorical"
        codes = [result["code"] for result in test["results"]]
        assert len(codes) == len(set(codes)) and codes
        assert all(r["label"]["id"] and r["label"]["en"] for r in test["results"])
        assert not any(r.get("normal") and r.get("refer") for r in test["results"])


def test_lab_codes_unique_and_followup_lab_rules_name_real_results() -> None:
    tests = {test["code"]: test for test in LAB["tests"]}
    assert len(tests) == len(LAB["tests"])
    for rule in CONFIG["followup"]["rules"]:
        if rule["finding"] != "lab":
            continue
        named = rule["when"]["test"]
        assert set(named) <= set(tests), rule["code"]
        allowed = {r["code"] for code in named for r in tests[code]["results"]}
        assert set(rule["when"].get("category", [])) <= allowed, rule["code"]
