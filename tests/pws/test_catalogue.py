"""The PWS indicator catalogue (config/ilp/pws.json): well-formed, cited, and filtering on the
real growth.json codes; `problems()` catches each kind of mistake it exists to catch."""

from __future__ import annotations

import copy

import pytest

from backend.clinical.config import load_config
from backend.pws.catalogue import EVENTS, PERIODS, from_config, problems

CONFIG = load_config(with_tables=False)
PWS = CONFIG["pws"]
GROWTH = CONFIG["growth"]

# The contract other engineers build on (commit 3ed4781): these ids must stay.
CONTRACT_IDS = (
    "k1", "k1_murni", "k4", "k6", "pf", "kf_lengkap", "kn1", "kn_lengkap", "idl", "baduta",
    "ds", "nd", "bgm", "stunting", "wasting", "underweight", "overweight", "vitamin_a",
    "usia_produktif", "lansia", "hipertensi", "dm", "jiwa", "tb",
)


def test_the_repository_catalogue_has_no_problems() -> None:
    assert problems(PWS, GROWTH) == []


def test_catalogue_loads_with_every_contract_indicator_in_order() -> None:
    catalogue = from_config(PWS)
    assert catalogue.ids == CONTRACT_IDS
    assert catalogue.version == PWS["version"]
    assert catalogue.get("stunting").lower_is_better
    with pytest.raises(KeyError):
        catalogue.get("k5")


@pytest.mark.parametrize("spec", PWS["indicators"], ids=lambda spec: spec["id"])
def test_indicator_is_well_formed(spec: dict) -> None:
    assert spec["period"] in PERIODS
    assert spec["cluster"] in ("1", "2", "3", "4", "lintas")
    for side in ("numerator", "denominator"):
        measure = spec[side]
        if "event" in measure:
            assert measure["event"] in EVENTS
        elif "growth" in measure:
            assert measure["growth"] in PWS["growth_measures"]
        else:
            assert side == "denominator" and measure["group"] in PWS["groups"]
        assert measure["text"].strip()
    targets = [spec["target"]["default"], *spec["target"]["by_year"].values()]
    assert all(0 <= value <= 100 for value in targets)
    assert spec["source"].strip() and spec["label"].strip() and spec["gap_reason"].strip()
    if spec["target"]["cfg"]:
        assert spec["target"]["note"].startswith("[cfg]")


@pytest.mark.parametrize("spec", [s for s in PWS["indicators"] if s["spm"]],
                         ids=lambda spec: spec["id"])
def test_spm_indicators_aim_at_100_percent_and_cite_the_spm_standard(spec: dict) -> None:
    catalogue = from_config(PWS)
    assert {catalogue.get(spec["id"]).target(year) for year in (2025, 2026)} == {100.0}
    assert "SPM" in spec["source"]


def test_growth_measures_use_growth_json_codes_read_from_growth_json() -> None:
    categories = GROWTH["categories"]["who2006"]
    index = {"bbu": "bb_u", "tbu": "tb_u", "bbtb": "bb_tb"}
    for name, measure in PWS["growth_measures"].items():
        for key, value in measure.items():
            if key in index:
                assert set(value) <= {band["code"] for band in categories[index[key]]}, name
            elif key == "trend":
                assert set(value) <= set(GROWTH["weight_trend"]["letters"]), name


def test_target_per_year_falls_back_to_the_default() -> None:
    stunting = from_config(PWS).get("stunting")
    assert stunting.target(2025) == 18.8     # RPJMN 2025-2029, by_year
    assert stunting.target(2026) == 14.0     # default (Perpres 72/2021)


def _broken(change) -> list[str]:
    pws = copy.deepcopy(PWS)
    change(pws)
    return problems(pws, GROWTH)


def _indicator(pws: dict, indicator_id: str) -> dict:
    return next(spec for spec in pws["indicators"] if spec["id"] == indicator_id)


MISTAKES = {
    "unknown event": (lambda p: _indicator(p, "k1")["numerator"].update(event="anc_k_1"),
                      "numerator event 'anc_k_1' is not defined"),
    "unknown growth measure": (
        lambda p: _indicator(p, "ds")["numerator"].update(growth="timbang"), "'timbang'"),
    "unknown group": (lambda p: _indicator(p, "k6")["denominator"].update(group="ibu"),
                      "denominator group 'ibu'"),
    "group as numerator": (
        lambda p: _indicator(p, "k6").update(numerator={"group": "bumil", "text": "x"}),
        "numerator needs exactly one of"),
    "two kinds in one measure": (
        lambda p: _indicator(p, "k6")["numerator"].update(growth="naik"),
        "has ['event', 'growth']"),
    "unknown period": (lambda p: _indicator(p, "k1").update(period="weekly"), "period 'weekly'"),
    "unknown cluster": (lambda p: _indicator(p, "k1").update(cluster=2), "cluster 2"),
    "target above 100": (lambda p: _indicator(p, "ds")["target"].update(default=101), "101"),
    "negative year target": (
        lambda p: _indicator(p, "ds")["target"]["by_year"].update({"2026": -1}), "-1"),
    "year that is not a year": (
        lambda p: _indicator(p, "ds")["target"]["by_year"].update({"26": 80}), "'26'"),
    "SPM below 100": (lambda p: _indicator(p, "k6")["target"]["by_year"].update({"2026": 95}),
                      "SPM"),
    "cfg target without note": (lambda p: _indicator(p, "ds")["target"].pop("note"),
                                "needs a note"),
    "empty source": (lambda p: _indicator(p, "tb").update(source=" "), "source is empty"),
    "no evaluator": (lambda p: _indicator(p, "idl").pop("evaluator"), "evaluator is empty"),
    "config path in the source": (
        lambda p: _indicator(p, "idl").update(source="config/ilp/immunization.json"),
        "belongs in evaluator"),
    "placeholder": (lambda p: _indicator(p, "tb").update(label="Terduga TB (TODO)"),
                    "placeholder text in .label"),
    "duplicate id": (lambda p: _indicator(p, "k4").update(id="k1"), "duplicate id"),
    "prevalence over a group": (
        lambda p: _indicator(p, "stunting").update(denominator={"group": "balita", "text": "x"}),
        "among those measured"),
    "category that is not in growth.json": (
        lambda p: p["growth_measures"]["pendek"].update(tbu=["pendek", "stunted"]),
        "tbu ['pendek', 'stunted']"),
    "trend letter instead of code": (
        lambda p: p["growth_measures"]["naik"].update(trend=["N"]), "trend ['N']"),
    "growth measure that filters nothing": (
        lambda p: p["growth_measures"]["naik"].pop("trend"), "filters nothing"),
    "growth flag that is not true": (
        lambda p: p["growth_measures"]["ditimbang"].update(weight="ya"), "weight 'ya'"),
    "unknown growth filter": (
        lambda p: p["growth_measures"]["ditimbang"].update(berat=True), "berat True"),
    "convention of an unknown group": (
        lambda p: p["groups"]["bumil"]["convention"].update(of="kelahiran"), "'kelahiran'"),
    "undefined convention value": (
        lambda p: p["groups"]["dm"]["convention"].update(factor_cfg="prevalensi_diabetes"),
        "'prevalensi_diabetes'"),
    "convention without cfg note": (lambda p: p["conventions"]["cbr"].pop("note"),
                                    "convention cbr"),
    "watch code that is not an ICD-10 category": (
        lambda p: p["morbidity"]["watch"][0].update(codes=["A90.0"]), "ICD-10 categories"),
    "follow-up due in no days": (lambda p: p["followup"].update(due_days=0), "due_days"),
    "registered population nobody counts": (
        lambda p: p["groups"]["bayi"].update(registered="babies"), "'babies'"),
    "age range upside down": (
        lambda p: p["groups"]["baduta"].update(registered={"age_months": [24, 12]}),
        "not a range"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_problems_catches(name: str) -> None:
    change, expected = MISTAKES[name]
    found = _broken(change)
    assert any(expected in problem for problem in found), found
