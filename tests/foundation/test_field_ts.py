"""The one field_ts rule: the shared vectors against the Python twin (the JS twin runs the same
file in tests/js/field-ts.test.mjs), and REST's PATCH stamping through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.documents.field_ts import apply_changes, changed_fields
from backend.writes import save_docs
from tests import factories as f

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "field_ts.json")
                     .read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", VECTORS, ids=[case["name"] for case in VECTORS])
def test_vector(case: dict) -> None:
    given, expected = case["input"], case["expected"]
    if "error" in expected:
        with pytest.raises(ValueError, match=expected["error"]):
            apply_changes(given["current"], given["changes"], given["now"])
        return
    before = json.dumps(given["current"], sort_keys=True)
    assert changed_fields(given["current"], given["changes"]) == expected["changed"]
    doc = apply_changes(given["current"], given["changes"], given["now"])
    assert json.dumps(doc, sort_keys=True) == json.dumps(expected["doc"], sort_keys=True)
    assert json.dumps(given["current"], sort_keys=True) == before  # the input is not mutated


def test_there_are_vectors_for_each_part_of_the_rule() -> None:
    assert len(VECTORS) >= 20


def test_rest_patch_stamps_only_what_changed(login, world):
    person = f.person(phone="081200000001", field_ts={"phone": "2026-01-01T08:00:00Z"})
    assert save_docs([person], None)[0]["ok"]
    session = login("pustu_a")
    current = session.get(f"/api/v1/persons/{person['_id']}").json
    change = {"_rev": current["_rev"], "name": current["name"], "phone": "081200000002"}
    response = session.patch(f"/api/v1/persons/{person['_id']}", json=change)
    assert response.status_code == 200, response.json
    saved = session.get(f"/api/v1/persons/{person['_id']}").json
    assert saved["phone"] == "081200000002"
    assert set(saved["field_ts"]) == {"phone"}  # the unchanged name claims nothing
    assert saved["field_ts"]["phone"] == saved["updated_at"]
