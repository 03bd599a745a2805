"""What a health worker reads from config/ilp: no placeholder question anywhere, the KPSP forms
complete for every age, SKILAS items with the result the Kemenkes form ticks."""

from __future__ import annotations

import json
import re

import pytest

from backend.clinical.config import CONFIG_DIR, load_config

CONFIG = load_config(with_tables=False)
INSTRUMENTS = CONFIG["instruments"]["instruments"]
TEXT_KEYS = ("text", "prompt")
PLACEHOLDERS = (
    re.compile(r"\b(todo|tbd|fixme|xxx|lorem|placeholder)\b", re.IGNORECASE),
    # "Butir 1 formulir KPSP sesuai umur", "item 3", "Pertanyaan 2": a number, not a question
    re.compile(r"^\s*(butir|item|pertanyaan|soal|question)\s*(ke-?)?\s*\d+\b", re.IGNORECASE),
    re.compile(r"sesuai umur\s*$", re.IGNORECASE),
)


def placeholder(text: object) -> bool:
    """Text a person could not answer: empty, a numbered stand-in, or a to-do."""
    if not isinstance(text, str) or not re.search(r"[^\W\d_]{3,}", text):
        return True
    return any(pattern.search(text) for pattern in PLACEHOLDERS)


def _texts(node: object, where: str):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and not isinstance(value, (dict, list)):
                yield f"{where}.{key}", value
            else:
                yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{where}[{index}]")


def test_no_item_text_in_config_is_a_placeholder() -> None:
    texts = [(where, text) for path in sorted(CONFIG_DIR.glob("*.json"))
             for where, text in _texts(json.loads(path.read_text("utf-8")), path.name)]
    kpsp_items = sum(len(form["items"]) for form in INSTRUMENTS["kpsp"]["forms"])
    assert len(texts) > kpsp_items   # the walk reached the instruments' items
    assert [(where, text) for where, text in texts if placeholder(text)] == []


@pytest.mark.parametrize("text", ["Butir 1 formulir KPSP sesuai umur", "item 3", "TODO",
                                  "Pertanyaan ke-2", "", "?", "Butir 10"])
def test_the_placeholder_check_catches_stand_ins(text: str) -> None:
    assert placeholder(text)


def test_kpsp_has_a_complete_form_for_every_screening_age() -> None:
    kpsp = INSTRUMENTS["kpsp"]
    rule = next(r for r in CONFIG["screenings"]["rules"] if r["code"] == "kpsp")
    ages = [form["months"] for form in kpsp["forms"]]
    assert ages == sorted(ages) == rule["at_ages_months"]
    for form in kpsp["forms"]:
        # 10 items on every form, so the pedoman's 9-10 / 7-8 / <= 6 bands apply unchanged
        assert [item["id"] for item in form["items"]] == [str(n) for n in range(1, 11)], form
        assert {item["domain"] for item in form["items"]} <= set(kpsp["item_domains"]), form
        assert form["source"], form["months"]
        assert len({item["text"] for item in form["items"]}) == 10, form["months"]


def test_kpsp_forms_cover_all_four_developmental_domains() -> None:
    for form in INSTRUMENTS["kpsp"]["forms"]:
        domains = {item["domain"] for item in form["items"]}
        assert domains == set(INSTRUMENTS["kpsp"]["item_domains"]), form["months"]


def test_skilas_positive_answer_is_the_box_the_form_ticks() -> None:
    for domain in INSTRUMENTS["skilas"]["domains"]:
        for item in domain["items"]:
            ticked_yes = item["finding"].startswith("Ya")
            assert item["positive"] is ticked_yes, item["id"]
            plain = item["finding"].split(" ")[0].rstrip(",") in ("Ya", "Tidak")
            assert plain or item.get("prompt"), item["id"]   # the form gives no yes/no there
