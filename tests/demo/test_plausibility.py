"""The demo looks like a real Indonesian kecamatan (docs/domain.md §3, §5, §6, §10; rates in
backend/demo/traits.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from backend.demo.common import after
from backend.demo.duplicates import manifest
from backend.demo.immunization import SCHEDULE, complete_by_one
from backend.demo.places import KECAMATAN_CODE
from tests.demo.conftest import TODAY

DOSES = {(d.vaccine, d.dose): d for d in SCHEDULE}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _years(demo, person) -> float:
    return demo.age_days(person) / 365.25


def test_age_pyramid_has_indonesian_shape(large_demo):
    ages = [_years(large_demo, p) for p in large_demo.by_type["person"]]
    per_year_under_five = sum(a < 5 for a in ages) / len(ages) / 5
    assert 0.013 <= per_year_under_five <= 0.022
    assert 0.07 <= sum(a >= 60 for a in ages) / len(ages) <= 0.14
    assert 5500 <= len(ages) <= 6500 and 1500 <= len(large_demo.by_type["household"]) <= 2100


def test_households_have_one_head_and_one_to_nine_members(demo):
    members = defaultdict(list)
    for person in demo.by_type["person"]:
        members[person["household"]].append(person)
    assert set(members) == {h["_id"] for h in demo.by_type["household"]}
    for household in demo.by_type["household"]:
        people = members[household["_id"]]
        assert 1 <= len(people) <= 9
        (head,) = (p for p in people if p["relation"] == "kepala")
        assert head["name"] == household["head_name"]
    assert 2.8 <= len(demo.by_type["person"]) / len(members) <= 4.0


def test_nik_embeds_birth_date_and_sex(demo):
    people = [p for p in demo.by_type["person"] if "nik" in p]
    for person in people:
        nik, born = person["nik"], _date(person["birth_date"])
        day = born.day + (40 if person["sex"] == "P" else 0)
        assert nik[6:12] == f"{day:02d}{born:%m%y}", person
    # One NIK, one person: but for the duplicates the demo plants on purpose (docs/review.md).
    planted = {copy for _, copy, kind in manifest(demo.docs).duplicates
               if kind == "nik_dua_keluarga"}
    assert len({p["nik"] for p in people}) == len(people) - len(planted) and planted
    assert sum(p["nik"].startswith(KECAMATAN_CODE) for p in people) / len(people) > 0.85
    adults = [p for p in demo.by_type["person"] if _years(demo, p) >= 17]
    infants = [p for p in demo.by_type["person"] if _years(demo, p) < 1]
    assert sum("nik" in p for p in adults) / len(adults) > 0.9
    assert sum("nik" in p for p in infants) / len(infants) < 0.6


def test_family_numbers_look_real(demo):
    households = demo.by_type["household"]
    numbers = [h["no_kk"] for h in households if "no_kk" in h]
    assert all(n.startswith(KECAMATAN_CODE) for n in numbers)
    assert len(set(numbers)) == len(numbers) and len(numbers) / len(households) > 0.85
    people = demo.by_type["person"]
    assert 0.6 <= sum("jkn" in p for p in people) / len(people) <= 0.8
    assert all(p["jkn"].startswith("000") for p in people if "jkn" in p)


def _doses(demo):
    for encounter in demo.by_type["encounter"]:
        for given in encounter.get("immunizations", []):
            yield demo.by_id[encounter["person"]], encounter, given


def test_immunizations_fall_in_their_age_windows(demo):
    seen = defaultdict(dict)
    for person, encounter, given in sorted(_doses(demo), key=lambda x: x[2]["date"]):
        dose, born, day = DOSES[(given["vaccine"], given["dose"])], _date(
            person["birth_date"]), _date(given["date"])
        assert given["date"] == encounter["date"]
        assert after(born, dose.ideal_from) <= day < after(born, dose.catch_up_until)
        ideal = day < after(born, dose.ideal_until)
        assert given["timing"] == ("ideal" if ideal else "kejar")
        earlier = seen[person["_id"]].get((dose.vaccine, dose.dose - 1))
        assert dose.dose == 1 or (earlier and day >= after(earlier, dose.min_interval))
        seen[person["_id"]][(dose.vaccine, dose.dose)] = day
    timings = Counter(g["timing"] for _, _, g in _doses(demo))
    assert timings["ideal"] > 2 * timings["kejar"] > 0


def test_most_infants_are_fully_immunized_by_one(large_demo):
    given = defaultdict(dict)
    for person, _, dose in _doses(large_demo):
        given[person["_id"]][(dose["vaccine"], dose["dose"])] = _date(dose["date"])
    toddlers = [p for p in large_demo.by_type["person"]
                if 365 <= large_demo.age_days(p) < 730]
    complete = [complete_by_one(_date(p["birth_date"]), given[p["_id"]]) for p in toddlers]
    assert 0.7 <= sum(complete) / len(complete) <= 0.95


def _child_measurements(demo):
    for encounter in demo.by_type["encounter"]:
        measured = encounter.get("measurements", {})
        if "length_or_height" in measured:
            yield demo.by_id[encounter["person"]], encounter, measured


def test_length_lying_under_two_and_height_standing_after(demo):
    for person, encounter, measured in _child_measurements(demo):
        lying = demo.age_days(person, _date(encounter["date"])) < 731
        assert measured["length_or_height"] == ("lying" if lying else "standing")


def test_stunting_and_wasting_near_national_rates(large_demo):
    pygrowup = pytest.importorskip("pygrowup")
    latest = {}
    for person, encounter, measured in _child_measurements(large_demo):
        if encounter["setting"] == "posyandu":
            latest[person["_id"]] = (person, encounter, measured)
    stunted, wasted = [], []
    for person, encounter, measured in latest.values():
        days = large_demo.age_days(person, _date(encounter["date"]))
        child = pygrowup.Observation("male" if person["sex"] == "L" else "female",
                                     age_in_days=days)
        lying = measured["length_or_height"] == "lying"
        size, weight = measured["height_cm"], measured["weight_kg"]
        stunted.append(child.lhfa(size, recumbent=lying) < -2)
        low, high = (45, 110) if lying else (65, 120)   # the WHO weight-for-length tables
        if low <= size <= high:
            z = child.wfl(weight, size) if lying else child.wfh(weight, size)
            wasted.append(z < -2)
    assert 0.14 <= sum(stunted) / len(stunted) <= 0.28      # ~20 % (SSGI)
    assert 0.03 <= sum(wasted) / len(wasted) <= 0.12        # ~7 %


def test_vitamin_a_in_february_and_august_for_six_to_59_months(demo):
    rounds = [(demo.by_id[e["person"]], e) for e in demo.by_type["encounter"]
              if any(s["code"] == "vitamin_a" for s in e.get("services", []))
              and not any(s["code"] == "kf" for s in e["services"])]
    assert rounds
    for person, encounter in rounds:
        assert _date(encounter["date"]).month in (2, 8)
        assert 182 <= demo.age_days(person, _date(encounter["date"])) < 1827


def test_about_a_third_of_screened_adults_have_high_blood_pressure(large_demo):
    first = {}
    for encounter in sorted(large_demo.by_type["encounter"], key=lambda e: e["date"]):
        person = large_demo.by_id[encounter["person"]]
        screened = any(s["instrument"] == "merokok" for s in encounter.get("screenings", []))
        if screened and "sbp" in encounter.get("measurements", {}) and _years(
                large_demo, person) >= 19:
            first.setdefault(person["_id"], encounter["measurements"])
    high = sum(m["sbp"] >= 140 or m["dbp"] >= 90 for m in first.values())
    assert 0.2 <= high / len(first) <= 0.4


def test_pregnancies_are_consistent(large_demo):
    women = [p for p in large_demo.by_type["person"]
             if p["sex"] == "P" and 15 <= _years(large_demo, p) < 50]
    pregnancies = large_demo.by_type["pregnancy"]
    ongoing = [p for p in pregnancies if p["status"] == "ongoing"]
    assert 0.01 <= len(ongoing) / len(women) <= 0.035
    for pregnancy in pregnancies:
        hpht = _date(pregnancy["hpht"])
        assert _date(pregnancy["hpl"]) == hpht + dt.timedelta(days=280)
        if pregnancy["status"] == "ongoing":
            assert (TODAY - hpht).days <= 280
            continue
        (baby_id,) = pregnancy["delivery"]["babies"]
        baby = large_demo.by_id[baby_id]
        assert baby["mother"] == pregnancy["person"]
        assert baby["birth_date"] == pregnancy["delivery"]["date"]


def test_anc_contacts_are_numbered_within_the_pregnancy(large_demo):
    contacts = defaultdict(list)
    for encounter in large_demo.by_type["encounter"]:
        if "pregnancy" in encounter:
            contacts[encounter["pregnancy"]].append(encounter)
    assert contacts
    for pregnancy_id, visits in contacts.items():
        pregnancy = large_demo.by_id[pregnancy_id]
        end = pregnancy.get("delivery", {}).get("date", TODAY.isoformat())
        labels = [next(s["detail"] for s in v["services"] if s["code"] == "anc")
                  for v in sorted(visits, key=lambda v: v["date"])]
        numbers = [int(label[1:]) for label in labels]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        assert all(pregnancy["hpht"] < v["date"] <= end for v in visits)


def test_neonatal_and_postnatal_visits_follow_the_birth(large_demo):
    for encounter in large_demo.by_type["encounter"]:
        for service in encounter.get("services", []):
            if service["code"] in {"kn", "kf"}:
                person = large_demo.by_id[encounter["person"]]
                born = _date(person["birth_date"]) if service["code"] == "kn" else min(
                    _date(b["birth_date"]) for b in large_demo.by_type["person"]
                    if b.get("mother") == person["_id"] and b["birth_date"] <= encounter["date"]
                    and _date(encounter["date"]) - _date(b["birth_date"]) <= dt.timedelta(42))
                limit = 28 if service["code"] == "kn" else 42
                assert 0 <= (_date(encounter["date"]) - born).days <= limit


def test_posyandu_visits_fall_on_the_posyandu_day(demo):
    attendance = defaultdict(set)
    for encounter in demo.by_type["encounter"]:
        if encounter["setting"] != "posyandu" or "posyandu_session" not in encounter:
            continue
        session = demo.by_id[encounter["posyandu_session"]]
        place = demo.by_id[encounter["place"]]
        assert session["date"] == encounter["date"] and session["posyandu"] == place["_id"]
        assert _date(encounter["date"]).day == place["schedule_day"]
        attendance[session["_id"]].add(encounter["person"])
    for session in demo.by_type["posyandu_session"]:
        assert set(session["attendance"]) == attendance[session["_id"]]


def test_screenings_are_scored_as_the_instruments_say(demo):
    for encounter in demo.by_type["encounter"]:
        for screening in encounter.get("screenings", []):
            answers, score = screening["answers"], screening.get("score")
            if screening["instrument"] in {"srq20", "kpsp"}:
                assert score == sum(answers.values())
            if screening["instrument"] == "srq20":
                assert (screening["result"] == "kemungkinan_masalah") == (score >= 6)
            if screening["instrument"] == "aks":
                assert score == sum(answers.values()) and 0 <= score <= 20
            if screening["instrument"] == "tb_gejala" and answers["batuk"]:
                assert screening["result"] == "terduga_tb"


def test_follow_up_tasks_go_to_the_pustu(large_demo):
    tasks = large_demo.by_type["task"]
    statuses = Counter(t["status"] for t in tasks)
    assert {"open", "in_progress", "done"} <= set(statuses)
    assert any(t["status"] == "open" and t["due_date"] < TODAY.isoformat() for t in tasks)
    for task in tasks:
        place = large_demo.by_id[task["assigned_place"]]
        assert place["kind"] == "pustu" and place["desa"] == task["desa"]
        assert (task["status"] == "done") == ("done_at" in task)


def test_diagnoses_cover_common_and_chronic_disease(large_demo):
    codes = Counter((d["icd10"], d["case"]) for e in large_demo.by_type["encounter"]
                    for d in e.get("diagnoses", []))
    for code in ("J06.9", "A09", "K30", "M79.1", "I10", "E11.9"):
        assert codes[(code, "baru")] > 0, code
    assert codes[("I10", "lama")] > codes[("I10", "baru")]
    clusters = {e["cluster"] for e in large_demo.by_type["encounter"]}
    assert {"2", "3", "4", "lintas"} <= clusters
