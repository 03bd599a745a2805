"""Python and JavaScript give identical results on thousands of random inputs, beyond the
hand-written vectors (same z digits, same classes, same errors)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from backend.clinical import ClinicalInputError, default_config
from tests.clinical.vectors import RULES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")


def _random_inputs(rng: random.Random) -> list[tuple[str, dict]]:
    today = date(2025, 6, 15)
    batch: list[tuple[str, dict]] = []
    for _ in range(3000):
        days = rng.randint(0, 7000)
        height = round(rng.uniform(40, 190), rng.choice([0, 1, 2]))
        batch.append(("growth", {
            "sex": rng.choice("LP"), "age_days": days, "weight_kg": round(rng.uniform(1, 90), 2),
            "height_cm": height, "measure": rng.choice([None, "lying", "standing"]),
            "oedema": rng.random() < 0.02}))
    for _ in range(500):
        born = (today - timedelta(days=rng.randint(0, 90 * 365))).isoformat()
        batch.append(("classify_hb", {"hb_gdl": round(rng.uniform(4, 18), 1),
                                      "sex": rng.choice("LP"), "birth_date": born,
                                      "date": today.isoformat(), "pregnant": rng.random() < 0.2}))
        batch.append(("classify_bp", {"sbp": rng.randint(80, 200), "dbp": rng.randint(50, 130)}))
        batch.append(("classify_bmi", {"weight_kg": round(rng.uniform(30, 120), 1),
                                       "height_cm": round(rng.uniform(140, 190), 1)}))
        # KPSP form choice: month ends, leap days and the 16-day rounding, from birth to 7 years
        born = today - timedelta(days=rng.randint(0, 2600))
        visit = born + timedelta(days=rng.randint(0, 2600))
        batch.append(("kpsp_form", {"birth_date": born.isoformat(), "date": visit.isoformat()}))
    return (batch + _random_encounters(rng, today) + _random_records(rng, today)
            + _random_flow(rng, today))


def _random_encounters(rng: random.Random, today: date) -> list[tuple[str, dict]]:
    """Encounters with random measurements, weighings and pregnancies: findings, their
    Indonesian text and the follow-ups they lead to."""
    batch = []
    for _ in range(400):
        born = today - timedelta(days=rng.randint(0, 80 * 365))
        person = {"_id": "person:p", "birth_date": born.isoformat(), "sex": rng.choice("LP")}
        history = [{"_id": f"encounter:{i}", "type": "encounter",
                    "date": (today - timedelta(days=30 * i + rng.randint(0, 5))).isoformat(),
                    "measurements": {"weight_kg": round(rng.uniform(2, 20), 1)}}
                   for i in range(1, rng.randint(1, 4))
                   if today - timedelta(days=30 * i + 5) > born]
        if person["sex"] == "P" and rng.random() < 0.3:
            history.append({"_id": "pregnancy:p", "type": "pregnancy", "status": "ongoing",
                            "hpht": (today - timedelta(days=rng.randint(10, 280))).isoformat()})
        measured = {key: value for key, value in {
            "sbp": rng.randint(90, 190), "dbp": rng.randint(50, 85),
            "hb_gdl": round(rng.uniform(5, 15), 1),
            "muac_cm": round(rng.uniform(10, 30), 1), "weight_kg": round(rng.uniform(2, 90), 1),
            "height_cm": round(rng.uniform(45, 185), 1), "temp_c": round(rng.uniform(35, 40), 1),
            "glucose_mgdl": rng.randint(60, 300), "waist_cm": rng.randint(60, 120),
        }.items() if rng.random() < 0.5}
        encounter = {"_id": "encounter:0", "type": "encounter", "date": today.isoformat(),
                     "measurements": measured}
        if rng.random() < 0.3:
            encounter["referral"] = {"to": rng.choice(["Pustu", "Puskesmas"]),
                                     "urgent": rng.random() < 0.3}
        batch.append(("findings", {"person": person, "encounter": encounter,
                                   "history": history}))
    return batch


def _random_records(rng: random.Random, today: date) -> list[tuple[str, dict]]:
    """Whole records for the data-quality rules: typed-in heights and weights that shrink and
    jump, blood pressures and glucose with or without their type, NIKs that may disagree,
    pregnancies with or without HPHT, visits before birth or after death, corrections."""
    batch: list[tuple[str, dict]] = []
    for n in range(300):
        born = today - timedelta(days=rng.randint(0, 70 * 365))
        sex = rng.choice("LP")
        day = born.day + (40 if rng.random() < 0.8 and sex == "P" else 0)
        nik = f"320419{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"
        person = {"_id": f"person:{n}", "type": "person", "sex": sex,
                  "birth_date": born.isoformat(), "created_at": "2025-01-01T00:00:00Z",
                  "birth_date_estimated": rng.random() < 0.2,
                  "nik": nik if rng.random() < 0.7 else rng.choice(
                      [None, "3204193213870001", "3204190101000001"])}
        if rng.random() < 0.05:
            person["deceased_date"] = (today - timedelta(days=rng.randint(0, 400))).isoformat()
        records: list[dict] = []
        if sex == "P" and rng.random() < 0.3:
            records.append({"_id": f"pregnancy:{n}", "type": "pregnancy",
                            "status": rng.choice(["ongoing", "delivered"]),
                            "created_at": "2025-02-01T00:00:00Z",
                            **({"hpht": (today - timedelta(days=rng.randint(20, 300))).isoformat()}
                               if rng.random() < 0.7 else {})})
        span = rng.choice([120, 900, 30 * 365])   # weeks apart (jumps) to decades apart
        for i in range(rng.randint(0, 6)):
            measured = {key: value for key, value in {
                "weight_kg": round(rng.uniform(2, 80), 1),
                "height_cm": round(rng.uniform(45, 180), 1),
                "length_or_height": rng.choice(["lying", "standing"]),
                "sbp": rng.randint(90, 260), "glucose_mgdl": rng.randint(60, 400),
                "glucose_type": rng.choice(["GDS", "GDP"]),
                "hba1c_pct": round(rng.uniform(4, 14), 1),
            }.items() if rng.random() < 0.4}
            if "sbp" in measured:
                measured["dbp"] = rng.randint(40, measured["sbp"] - 1)
            records.append({
                "_id": f"encounter:{n}:{i}", "type": "encounter",
                "date": (today - timedelta(days=rng.randint(0, span))).isoformat(),
                "setting": rng.choice(["posyandu", "pustu"]), "cluster": rng.choice(["2", "3"]),
                "measurements": measured,
                **({"posyandu_session": "posyandu_session:s"} if rng.random() < 0.5 else {}),
                **({"services": [{"code": "anc"}]} if rng.random() < 0.2 else {}),
                **({"corrects": f"encounter:{n}:{i - 1}"} if i and rng.random() < 0.15 else {})})
        batch.append(("quality_flags", {"person": person, "records": records}))
    return batch


def _random_pregnancies(rng: random.Random, today: date) -> list[dict]:
    """None, an ongoing pregnancy, or a delivery around the end of the nifas period."""
    pick = rng.random()
    if pick < 0.25:
        return [{"_id": "pregnancy:r", "type": "pregnancy", "status": "ongoing",
                 "hpht": (today - timedelta(days=rng.randint(10, 280))).isoformat()}]
    if pick < 0.4:
        delivered = today - timedelta(days=rng.randint(0, 60))
        return [{"_id": "pregnancy:r", "type": "pregnancy", "status": "delivered",
                 "hpht": (delivered - timedelta(days=270)).isoformat(),
                 "delivery": {"date": delivered.isoformat()}}]
    return []


def _random_flow(rng: random.Random, today: date) -> list[tuple[str, dict]]:
    """Routing at registration (ages around 18 and 60, pregnancies, symptom sets, a few bad
    arrivals), lab result lists (values at and beyond the limits, wrong kinds, repeats) and lab
    encounters' findings."""
    config = default_config()
    symptoms = [symptom["code"] for symptom in config["routing"]["symptoms"]]
    tests = config["lab"]["tests"]
    limits = config["classifiers"]["input_limits"]
    batch: list[tuple[str, dict]] = []
    for _ in range(500):
        years = rng.choice([rng.randint(0, 90), 18, 17, 59, 60])
        born = today - timedelta(days=years * 365 + rng.randint(-3, 3))
        arrival: dict = {"emergency": rng.random() < 0.1, "disability": rng.random() < 0.15,
                         "symptoms": rng.sample(symptoms, rng.choice([0, 0, 1, 2, 3]))}
        if rng.random() < 0.05:
            key = rng.choice(["emergency", "symptoms", "extra"])
            arrival[key] = rng.choice(["ya", "pusing", 1])
        if rng.random() < 0.1:
            arrival = {key: value for key, value in arrival.items() if rng.random() < 0.5}
        batch.append(("route", {"person": {"_id": "person:r", "sex": rng.choice("LP"),
                                           "birth_date": born.isoformat()},
                                "history": _random_pregnancies(rng, today),
                                "date": today.isoformat(), "arrival": arrival}))
    for _ in range(500):
        results: list[object] = []
        for test in rng.sample(tests, rng.randint(0, 4)):
            if test["kind"] == "categorical":
                codes = [result["code"] for result in test["results"]]
                item = {"test": test["code"], "result": rng.choice([*codes, "positif"])}
            else:
                low, high = limits[test["measurement"]] if test["kind"] == "measurement" \
                    else test["limits"]
                value = rng.choice([low, high, round(rng.uniform(low, high), 1),
                                    round(high * 1.01 + 0.1, 1), low - 0.1])
                item = {"test": test["code"], "value": value}
            if rng.random() < 0.05:
                item = {**item, rng.choice(["value", "result", "unit"]): rng.choice([5, "x"])}
            results.append(item)
        if results and rng.random() < 0.1:
            results.append(dict(rng.choice(results)))
        if rng.random() < 0.03:
            results.append(rng.choice(["hb", None, {"test": "ldl", "value": 1}]))
        batch.append(("lab_results", {"results": results}))
    coded = [test for test in tests if test["kind"] == "categorical"]
    for _ in range(200):
        born = today - timedelta(days=rng.randint(15 * 365, 45 * 365))
        lab = [{"test": test["code"], "result": rng.choice(test["results"])["code"]}
               for test in rng.sample(coded, rng.randint(1, 4))]
        measured = {"hb_gdl": round(rng.uniform(6, 14), 1)} if rng.random() < 0.5 else {}
        batch.append(("findings", {
            "person": {"_id": "person:l", "sex": rng.choice("LP"), "birth_date": born.isoformat()},
            "history": _random_pregnancies(rng, today),
            "encounter": {"_id": "encounter:lab", "type": "encounter", "date": today.isoformat(),
                          "measurements": measured, "lab_results": lab}}))
    return batch


def _python(rule: str, payload: dict) -> dict:
    try:
        return RULES[rule](default_config(), **payload)
    except ClinicalInputError as error:
        return {"error_field": error.field}


def test_python_and_javascript_agree_on_random_inputs() -> None:
    batch = _random_inputs(random.Random(20251122))
    completed = subprocess.run(["node", str(ROOT / "tests" / "js" / "evaluate.mjs")],
                               input=json.dumps(batch), capture_output=True, text=True,
                               check=True, cwd=ROOT)
    javascript = json.loads(completed.stdout)
    differing = [(rule, payload) for (rule, payload), js in zip(batch, javascript, strict=True)
                 if _python(rule, payload) != js]
    assert differing == []
