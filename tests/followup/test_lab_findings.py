"""The lab's results, written as the lab encounter through the one write path (docs/flow.md
"Lab and pharmacy"), lead to follow-up like any visit: lab Hb through the anaemia rules, coded
results (triple eliminasi, BTA/TCM, protein urin) through the lab rules of followup.json."""

from __future__ import annotations

from backend.clinical import default_config, lab_encounter_parts
from backend.db import write_transaction
from backend.writes import write_docs
from tests import factories as f
from tests.followup.conftest import expected, girl, man, pregnancy_of, task_rows


def _lab_encounter(person: dict, results: list[dict]) -> dict:
    parts = lab_encounter_parts(default_config(), results)
    return f.encounter(person, setting="puskesmas", cluster="lintas",
                       **{key: value for key, value in parts.items() if value})


def _write(*docs: dict) -> None:
    with write_transaction() as conn:
        assert all(r["ok"] for r in write_docs(conn, list(docs), None))


def test_a_pregnant_girls_reactive_sifilis_and_lab_hb_become_tasks(world, pustu_a):
    person = girl()
    pregnancy = pregnancy_of(person)
    encounter = _lab_encounter(person, [{"test": "hb", "value": 9.5},
                                        {"test": "sifilis", "result": "reaktif"},
                                        {"test": "hiv", "result": "non_reaktif"}])
    assert encounter["measurements"] == {"hb_gdl": 9.5}
    _write(person, pregnancy, encounter)

    rows = {row.rule: row for row in task_rows(person)}
    wanted = expected(person, encounter, pregnancy)
    assert set(rows) == set(wanted) == {"anemia_sedang", "lab_reaktif_ibu"}
    lab = rows["lab_reaktif_ibu"]
    assert (lab.cluster, lab.assigned_place_id, lab.origin_id) == (
        "2", world.puskesmas["_id"], encounter["_id"])
    assert "Sifilis reaktif" in lab.reason and "HIV" not in lab.reason
    assert rows["anemia_sedang"].assigned_place_id == pustu_a["_id"]


def test_a_mans_positive_sputum_goes_to_klaster_4_and_negative_results_to_nobody(world):
    person = man()
    positive = _lab_encounter(person, [{"test": "tcm", "result": "mtb_rif_sensitif"}])
    negative = _lab_encounter(person, [{"test": "bta", "result": "negatif"},
                                       {"test": "asam_urat", "value": 6.1}])
    _write(person, positive, negative)

    [row] = task_rows(person)
    assert (row.rule, row.cluster, row.origin_id) == ("tbc_terkonfirmasi", "4", positive["_id"])
