"""Every setting is documented with its default, and loads from files and environment."""

from __future__ import annotations

import json
import re

import pytest

from backend.settings import PROJECT_ROOT, SETTINGS, load_settings


def test_every_setting_is_in_docs_settings_md_and_nothing_else():
    text = (PROJECT_ROOT / "docs" / "settings.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.M))
    assert documented == {s.name for s in SETTINGS}


def test_environment_overrides_file_and_keeps_the_type(tmp_path, monkeypatch):
    (tmp_path / "siklus.json").write_text(json.dumps({"REVS_LIMIT": 50, "PUSKESMAS_NAME": "A"}))
    monkeypatch.setenv("SIKLUS_REVS_LIMIT", "70")
    values = load_settings(str(tmp_path))
    assert values["REVS_LIMIT"] == 70 and values["PUSKESMAS_NAME"] == "A"
    assert values["DATABASE_URL"] == f"sqlite:///{tmp_path / 'siklus.db'}"


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), ("2", 2.0)])
def test_a_decimal_setting_from_the_environment_is_a_float(tmp_path, monkeypatch, raw, expected):
    monkeypatch.setenv("SIKLUS_SQLITE_CHECKPOINT_SECONDS", raw)
    value = load_settings(str(tmp_path))["SQLITE_CHECKPOINT_SECONDS"]
    assert value == expected and isinstance(value, float)


def test_unknown_setting_in_a_file_is_an_error(tmp_path):
    (tmp_path / "siklus.json").write_text(json.dumps({"REVS_LIMITS": 5}))
    with pytest.raises(ValueError, match="REVS_LIMITS"):
        load_settings(str(tmp_path))
