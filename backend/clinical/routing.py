"""The route proposed at registration: which cluster serves the person today and the queue
priority (JS twin: routing.js). Rules: config/ilp/routing.json; the life stage and the
hamil / nifas flags come from the life stage evaluator, never derived here."""

from __future__ import annotations

from backend.clinical.errors import ClinicalInputError
from backend.clinical.instruments import score_instrument
from backend.clinical.lifestage import life_stage

ARRIVAL_FLAGS = ("emergency", "disability")


def checked_arrival(config: dict, arrival: object) -> dict:
    """{emergency, disability, symptoms} with defaults false / [] for what is left out;
    anything else, or a symptom code routing.json does not list, is an input error."""
    if arrival is None:
        arrival = {}
    if not isinstance(arrival, dict):
        raise ClinicalInputError("arrival", "harus berupa objek")
    for key in arrival:
        if key not in (*ARRIVAL_FLAGS, "symptoms"):
            raise ClinicalInputError(f"arrival.{key}", "isian tidak dikenal")
    checked: dict = {}
    for key in ARRIVAL_FLAGS:
        value = arrival.get(key, False)
        if not isinstance(value, bool):
            raise ClinicalInputError(f"arrival.{key}", "harus true atau false")
        checked[key] = value
    symptoms = arrival.get("symptoms", [])
    if not isinstance(symptoms, list):
        raise ClinicalInputError("arrival.symptoms", "harus berupa daftar kode gejala")
    known = {symptom["code"] for symptom in config["routing"]["symptoms"]}
    for i, code in enumerate(symptoms):
        if code not in known:
            raise ClinicalInputError(f"arrival.symptoms[{i}]", "kode gejala tidak dikenal")
    checked["symptoms"] = list(dict.fromkeys(symptoms))
    return checked


def _instrument_answers(config: dict, instrument: str, symptoms: list[str]) -> dict:
    """The reported symptoms as yes answers to the instrument's items, every other item no."""
    spec = config["instruments"]["instruments"][instrument]
    yes = {symptom["items"][instrument] for symptom in config["routing"]["symptoms"]
           if symptom["code"] in symptoms and instrument in symptom["items"]}
    items = [item["id"] for group in ("main", "additional", "modifiers", "items")
             for item in spec.get(group, []) if "derive" not in item]
    return {item: item in yes for item in items}


def _matches(config: dict, when: dict, stage: dict, arrival: dict) -> bool:
    """Every condition of `when` holds (a rule names one or more)."""
    tests = {
        "arrival": lambda name: arrival[name],
        "flag": lambda flag: flag in stage["flags"],
        "stages": lambda codes: stage["code"] in codes,
        "symptoms_all": lambda codes: all(code in arrival["symptoms"] for code in codes),
        "instrument": lambda name: score_instrument(
            config, instrument=name,
            answers=_instrument_answers(config, name, arrival["symptoms"]))["refer"],
    }
    return all(tests[key](value) for key, value in when.items())


def route(config: dict, *, person: dict, history: list[dict] | None = None, date: str,
          arrival: dict | None = None) -> dict:
    """Proposed cluster ("2" | "3" | "4" | "lintas") with the codes of the rules behind it,
    queue priority ("emergency" | "priority" | "normal") with the priority groups, and the
    life stage code, for a person arriving on `date`."""
    stage = life_stage(config, person=person, history=history, date=date)
    checked = checked_arrival(config, arrival)
    rules = config["routing"]["rules"]
    matched = [rule for rule in rules if _matches(config, rule["when"], stage, checked)]
    decisive = [rule for rule in matched if not rule.get("fallback")]
    reasons = decisive or matched[:1]
    priority = config["routing"]["priority"]
    groups = [group["code"] for group in priority["groups"]
              if _matches(config, group["when"], stage, checked)]
    if _matches(config, priority["emergency"]["when"], stage, checked):
        level = "emergency"
    else:
        level = "priority" if groups else "normal"
    return {"cluster": reasons[0]["cluster"], "reasons": [rule["code"] for rule in reasons],
            "priority": level, "priority_groups": groups, "stage": stage["code"]}
