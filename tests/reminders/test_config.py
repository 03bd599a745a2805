"""reminders.json: loaded and checked with the other ILP files, every family registered, every
rule documented."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backend.clinical.config import CONFIG_DIR, load_config
from backend.clinical.reminder_rules import FAMILIES
from backend.push.payload import first_name
from backend.reminders import registry

CONFIG = load_config(with_tables=False)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_family_of_the_checks_is_registered_in_order() -> None:
    assert list(registry.FAMILIES) == list(FAMILIES)
    order = [rule["family"] for rule, _ in registry.rules(CONFIG)]
    assert order == sorted(order, key=list(FAMILIES).index)


@pytest.mark.parametrize(("change", "message"), [
    ({"family": "sms"}, "family 'sms'"),
    ({"follows": {"kinds": ["immunization"], "statuses": ["soon"]}}, "unknown statuses"),
    ({"follows": {"codes": ["DPT-9"], "statuses": ["due"]}}, "unknown item codes"),
    ({"text": {"title": "Imunisasi {nama}", "body": "NIK {nik}"}}, "template fields"),
    ({"ttl_seconds": 0}, "ttl_seconds"),
    ({"urgency": "urgent"}, "urgency"),
    ({"topic": "imunisasi anak"}, "topic"),
    ({"source": ""}, "source is required"),
    ({"anchor": "session"}, "anchor"),
])
def test_a_malformed_rule_fails_at_load_naming_it(tmp_path, change, message) -> None:
    copy = tmp_path / "ilp"
    shutil.copytree(CONFIG_DIR, copy)
    data = json.loads((copy / "reminders.json").read_text())
    data["rules"][0].update(change)
    (copy / "reminders.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"reminders\.json rule 'imunisasi_jatuh_tempo'.*"
                                         + message.replace("(", r"\(")):
        load_config(copy, with_tables=False)


def test_docs_name_every_reminder_rule() -> None:
    rules = (DOCS / "clinical-rules.md").read_text("utf-8")
    assert [r["code"] for r in CONFIG["reminders"]["rules"] if f"`{r['code']}`" not in rules] == []


@pytest.mark.parametrize(("name", "first"), [
    ("Budi Santoso", "Budi"), ("Ny. Siti Aminah", "Siti"), ("H. Agus", "Agus"), ("", ""),
    ("  Dewi ", "Dewi")])
def test_first_name(name, first) -> None:
    assert first_name(name) == first
