"""The demo speaks the clinical configuration's language: vaccine and dose codes with the same
windows, instrument and item ids, result codes, service codes and PIS-PK indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.demo.immunization import SCHEDULE

CONFIG = Path(__file__).resolve().parents[2] / "config" / "ilp"
# Services the demo records that no clinical rule reads (yet): deworming, supplementary
# feeding and postpartum family planning. Listed in docs/demo.md.
DEMO_ONLY_SERVICES = {"obat_cacing", "pmt", "kb"}


def _config(name: str) -> dict:
    path = CONFIG / f"{name}.json"
    if not path.exists():
        pytest.skip(f"config/ilp/{name}.json not present")
    return json.loads(path.read_text(encoding="utf-8"))


def _walk(value, key: str):
    """Every value stored under `key` anywhere in a JSON tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)


def test_schedule_mirrors_the_immunization_config():
    doses = {(d["vaccine"], d["dose"]): d for d in _config("immunization")["doses"]}
    for dose in SCHEDULE:
        config = doses[(dose.vaccine, dose.dose)]
        assert [dose.ideal_from, dose.ideal_until] == config["ideal"], dose
        assert dose.catch_up_until == config["catch_up_until"], dose
        if dose.dose > 1:
            assert dose.min_interval == config.get("min_interval", "P4W"), dose


def test_screenings_use_configured_instruments_items_and_results(demo):
    instruments = _config("instruments")["instruments"]
    for encounter in demo.by_type["encounter"]:
        for screening in encounter.get("screenings", []):
            config = instruments[screening["instrument"]]
            assert set(screening["answers"]) <= _item_ids(config), screening["instrument"]
            assert screening["result"] in _result_codes(config), screening


def _item_ids(config: dict) -> set[str]:
    items = config.get("items", []) + config.get("main", []) + config.get("additional", [])
    items += config.get("modifiers", [])
    items += [item for domain in config.get("domains", []) for item in domain["items"]]
    items += [item for form in config.get("forms", []) for item in form["items"]]
    return {item["id"] for item in items}


def _result_codes(config: dict) -> set[str]:
    return {band["code"] for band in config.get("bands", [])} | set(config.get("results", {}))


def test_services_are_configured_codes(demo):
    configured = set()
    for name in ("maternal", "vitamin_a", "screenings"):
        tree = _config(name)
        for key in ("service_codes", "doctor_service_codes", "services"):
            for codes in _walk(tree, key):
                configured |= set(codes) if isinstance(codes, list) else set()
    used = {s["code"] for e in demo.by_type["encounter"] for s in e.get("services", [])}
    assert used - DEMO_ONLY_SERVICES <= configured


def test_pis_pk_uses_the_twelve_configured_indicators(demo):
    codes = {i["code"] for i in _config("pispk")["indicators"]}
    surveyed = [h["pis_pk"] for h in demo.by_type["household"] if "pis_pk" in h]
    assert surveyed and all(set(answers) == codes for answers in surveyed)


def test_clinical_evaluator_scores_every_screening_alike(demo):
    """backend/clinical (the evaluator the app uses) agrees with every stored score and result."""
    clinical = pytest.importorskip("backend.clinical")
    config = clinical.default_config()
    for encounter in demo.by_type["encounter"]:
        person = demo.by_id[encounter["person"]]
        for screening in encounter.get("screenings", []):
            scored = clinical.score_instrument(
                config, instrument=screening["instrument"], answers=screening["answers"],
                sex=person["sex"], birth_date=person["birth_date"], date=encounter["date"])
            assert scored["result"] == screening["result"], screening
            assert screening.get("score") in (None, scored["score"]), screening
