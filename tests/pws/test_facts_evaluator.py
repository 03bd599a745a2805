"""The evaluator helpers PWS facts added beside their rules (backend/clinical): each agrees
with the function that already decides the same thing for the due list or the findings."""

from __future__ import annotations

import datetime as dt

from backend.clinical import default_config, due_list, encounter_findings
from backend.clinical import history as hist
from backend.clinical.findings import screening_result
from backend.clinical.pregnancy import anc_minimum, contacts_reached
from backend.clinical.schedules import valid_doses
from backend.clinical.screening import screenings_done

CFG = default_config()
D = dt.date


def contact(day: dt.date, trimester: int, doctor: bool = False) -> dict:
    return {"date": day, "trimester": trimester, "doctor": doctor}


def test_anc_minimum_reads_2_1_3_and_the_doctor_contacts_from_maternal_json():
    assert anc_minimum(CFG) == ({1: 2, 2: 1, 3: 3}, {1: 1, 3: 1})


def test_contacts_reached_is_the_day_the_last_needed_contact_happens():
    contacts = [contact(D(2026, 1, 10), 1), contact(D(2026, 4, 10), 2),
                contact(D(2026, 7, 1), 3), contact(D(2026, 7, 20), 3, doctor=True)]
    assert contacts_reached(contacts, {1: 1, 2: 1, 3: 2}) == D(2026, 7, 20)
    assert contacts_reached(contacts, {1: 1, 2: 1, 3: 2}, {1: 1}) is None
    assert contacts_reached(contacts[:3], {1: 1, 2: 1, 3: 2}) is None
    assert contacts_reached(list(reversed(contacts)), {1: 1}) == D(2026, 1, 10)


def test_valid_doses_are_the_due_lists_done_doses():
    birth = D(2025, 1, 15)
    records = [{"vaccine": "BCG", "dose": 1, "date": D(2025, 1, 20)},
               {"vaccine": "OPV", "dose": 1, "date": D(2025, 1, 20)},
               {"vaccine": "OPV", "dose": 2, "date": D(2025, 2, 10)},   # 3 weeks: too early
               {"vaccine": "DPT-HB-Hib", "dose": 1, "date": D(2025, 3, 15)}]
    valid = valid_doses(CFG, birth, "L", records)
    assert valid == {"BCG-1": D(2025, 1, 20), "OPV-1": D(2025, 1, 20),
                     "DPT-HB-Hib-1": D(2025, 3, 15)}
    history = [{"_id": f"encounter:{i}", "type": "encounter", "date": r["date"].isoformat(),
                "setting": "posyandu", "immunizations": [
                    {"vaccine": r["vaccine"], "dose": r["dose"]}]}
               for i, r in enumerate(records)]
    items = due_list(CFG, person={"birth_date": "2025-01-15", "sex": "L"}, history=history,
                     date="2025-04-01")["items"]
    done = {i["code"] for i in items if i["kind"] == "immunization" and i["status"] == "done"}
    assert done == set(valid)


def test_screenings_done_counts_only_while_eligible():
    person = {"birth": D(1980, 5, 1), "sex": "L", "hpht": None, "smoker": False}
    encs = hist.encounters([
        {"_id": "encounter:1", "type": "encounter", "date": "2026-01-05", "setting": "posyandu",
         "measurements": {"sbp": 150, "dbp": 95}},
        {"_id": "encounter:2", "type": "encounter", "date": "2026-02-05", "setting": "puskesmas",
         "diagnoses": [{"icd10": "I10"}]},
        {"_id": "encounter:3", "type": "encounter", "date": "2026-03-05", "setting": "posyandu",
         "measurements": {"sbp": 140, "dbp": 90}}], D(2026, 12, 31))
    done = [(enc["_id"], code) for enc, code in screenings_done(CFG, person, encs)]
    assert done == [("encounter:1", "tekanan_darah"), ("encounter:3", "tekanan_darah"),
                    ("encounter:3", "kontrol_hipertensi")]
    first = screenings_done(CFG, person, encs, first_only=True)
    assert [(enc["_id"], code) for enc, code in first] == [
        ("encounter:1", "tekanan_darah"), ("encounter:3", "tekanan_darah")]


def test_screening_result_is_the_visit_finding():
    person = {"_id": "person:1", "sex": "P", "birth_date": "1990-01-01"}
    answers = {str(i): i <= 8 for i in range(1, 21)}
    screening = {"instrument": "srq20", "answers": answers}
    found = screening_result(CFG, person=person, date="2026-03-01", screening=screening)
    [row] = [r for r in encounter_findings(CFG, person=person, encounter={
        "date": "2026-03-01", "screenings": [screening]}) if r["finding"] == "screening"]
    assert (found["code"], found["refer"]) == (row["code"], row["refer"])
    assert screening_result(CFG, person=person, date="2026-03-01",
                            screening={"instrument": "unknown"}) is None
