"""docs/clinical-rules.md names every rule in config/ilp (documentation is tested)."""

from __future__ import annotations

from pathlib import Path

from backend.clinical.config import load_config

DOC = (Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md").read_text("utf-8")
CONFIG = load_config(with_tables=False)


def test_docs_name_every_rule_code() -> None:
    codes = [dose["code"] for dose in CONFIG["immunization"]["doses"]]
    codes += [rule["code"] for rule in CONFIG["screenings"]["rules"]]
    codes += list(CONFIG["instruments"]["instruments"])
    codes += [contact["code"] for contact in CONFIG["maternal"]["anc"]["contacts"]]
    codes += [v["code"] for kind in ("kf", "kn") for v in CONFIG["maternal"][kind]["visits"]]
    codes += [stage["code"] for stage in CONFIG["lifestages"]["stages"]]
    codes += [indicator["code"] for indicator in CONFIG["pispk"]["indicators"]]
    codes += [rule["code"] for rule in CONFIG["routing"]["rules"]]
    codes += [group["code"] for group in CONFIG["routing"]["priority"]["groups"]]
    codes += [symptom["code"] for symptom in CONFIG["routing"]["symptoms"]]
    codes += [test["code"] for test in CONFIG["lab"]["tests"]]
    codes += [rule["code"] for rule in CONFIG["followup"]["rules"] if rule["finding"] == "lab"]
    assert [code for code in codes if f"`{code}`" not in DOC] == []


def test_docs_name_every_config_file() -> None:
    assert [e["file"] for e in CONFIG["manifest"]["files"].values() if e["file"] not in DOC] == []
