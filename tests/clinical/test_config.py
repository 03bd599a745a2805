"""The clinical knowledge files: manifest, versions, sources and well-formed rules."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from backend.clinical.config import CONFIG_DIR, load_config
from backend.clinical.dates import add_duration

CONFIG = load_config(with_tables=False)
BIRTH = date(2020, 1, 31)


def test_manifest_lists_every_file_with_its_version() -> None:
    manifest = CONFIG["manifest"]
    listed = {entry["file"] for entry in manifest["files"].values()}
    assert listed == {p.name for p in CONFIG_DIR.glob("*.json")} - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert CONFIG[name]["version"] == entry["version"]


def test_load_refuses_a_file_whose_version_was_not_recorded(tmp_path) -> None:
    copy = tmp_path / "ilp"
    shutil.copytree(CONFIG_DIR, copy)
    data = json.loads((copy / "pispk.json").read_text())
    data["version"] = "9.9.9"
    (copy / "pispk.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"pispk\.json"):
        load_config(copy, with_tables=False)


def _rules() -> list[tuple[str, dict]]:
    rules = [(d["code"], d) for d in CONFIG["immunization"]["doses"]]
    rules += [(r["code"], r) for r in CONFIG["screenings"]["rules"]]
    rules += list(CONFIG["instruments"]["instruments"].items())
    rules += [(name, rule) for name, rule in CONFIG["classifiers"].items()
              if name not in ("version", "description")]
    rules += [(name, CONFIG["maternal"][name]) for name in ("pregnancy", "anc", "kf", "kn")]
    rules += list(CONFIG["lifestages"]["reproductive"].items())
    rules += [(r["code"], r) for r in CONFIG["routing"]["rules"]]
    rules += [("routing.priority", CONFIG["routing"]["priority"])]
    rules += [(t["code"], t) for t in CONFIG["lab"]["tests"]]
    rules += [(r["code"], r) for r in CONFIG["followup"]["rules"]]
    return rules


def _cited(rule: dict) -> bool:
    """A source on the rule itself, or on every scheme or group it chooses between."""
    parts = list(rule.get("schemes", {}).values()) or rule.get("groups", [])
    return bool(rule.get("source")) or (bool(parts) and all(p.get("source") for p in parts))


@pytest.mark.parametrize(("code", "rule"), _rules(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_rule_cites_a_source(code: str, rule: dict) -> None:
    assert _cited(rule), code


@pytest.mark.parametrize("dose", CONFIG["immunization"]["doses"], ids=lambda d: d["code"])
def test_immunization_windows_are_ordered(dose: dict) -> None:
    low, high = (add_duration(BIRTH, bound) for bound in dose["ideal"])
    assert add_duration(BIRTH, dose["min_age"]) <= low < high
    assert high <= add_duration(BIRTH, dose["catch_up_until"])


@pytest.mark.parametrize("rule", CONFIG["screenings"]["rules"], ids=lambda r: r["code"])
def test_screening_rules_have_one_cadence(rule: dict) -> None:
    cadences = [key for key in ("cycle", "every", "at_ages_months", "per_pregnancy",
                                "per_trimester") if rule.get(key)]
    assert len(cadences) == 1, rule["code"]


def _band_lists(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list) and value and all(
                    isinstance(band, dict) and ("lt" in band or "le" in band or "code" in band
                                                or "points" in band) for band in value) and (
                    key in ("bands", "sbp", "dbp", "GDP", "GD2PP", "GDS", "hba1c")):
                yield value
            else:
                yield from _band_lists(value)
    elif isinstance(node, list):
        for value in node:
            yield from _band_lists(value)


def test_bands_rise_and_end_unbounded() -> None:
    for bands in _band_lists(CONFIG):
        bounds = [band.get("lt", band.get("le")) for band in bands]
        assert bounds[-1] is None and None not in bounds[:-1], bands
        assert bounds[:-1] == sorted(bounds[:-1]), bands
