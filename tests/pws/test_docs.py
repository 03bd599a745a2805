"""docs/pws.md lists every indicator of config/ilp/pws.json with its period and targets, and
every event code, target group and convention value the catalogue uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.clinical.config import load_config
from backend.pws.catalogue import EVENTS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pws.md").read_text(encoding="utf-8")
PWS = load_config(with_tables=False)["pws"]


def _row(indicator_id: str) -> list[str]:
    rows = [line for line in DOC.splitlines() if line.startswith(f"| `{indicator_id}` |")]
    assert len(rows) == 1, f"{indicator_id}: {len(rows)} rows in docs/pws.md"
    return [cell.strip() for cell in rows[0].strip("|").split("|")]


def _percent(value: float) -> str:
    return f"{value:g} %"


@pytest.mark.parametrize("spec", PWS["indicators"], ids=lambda spec: spec["id"])
def test_indicator_row_matches_the_catalogue(spec: dict) -> None:
    _, _, numerator, denominator, period, target, source = _row(spec["id"])
    assert period == spec["period"]
    assert f"`{next(v for k, v in spec['numerator'].items() if k != 'text')}`" in numerator
    assert f"`{next(v for k, v in spec['denominator'].items() if k != 'text')}`" in denominator
    assert target.startswith(("≤ " if spec["better"] == "lower" else "")
                             + _percent(spec["target"]["default"]))
    for year, value in spec["target"]["by_year"].items():
        assert f"{year}: {_percent(value)}" in target
    assert ("[cfg]" in target) is spec["target"]["cfg"]
    assert ("(SPM)" in target) is spec["spm"]
    assert source


def test_every_event_code_is_documented() -> None:
    assert [code for code in EVENTS if f"`{code}`" not in DOC] == []


def test_every_group_and_convention_value_is_documented() -> None:
    assert [key for key in PWS["groups"] if f"`{key}`" not in DOC] == []
    for convention in PWS["conventions"].values():
        assert f"{convention['value']:g}" in DOC
    for group in PWS["groups"].values():
        factor = group.get("convention", {}).get("factor")
        assert factor is None or f"{factor:.2f}" in DOC


def test_every_status_decision_is_described() -> None:
    assert len(PWS["status"]["decisions"]) == 5
    for phrase in ("exactly as computed", "Exactly at the target", "unchanged month",
                   "ceiling indicator", "No cumulative coverage"):
        assert phrase in DOC
