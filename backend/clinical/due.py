"""The due list: everything a person should receive around a date, with its status (JS twin:
due.js). This is what the PWA shows at registration and what reminders and Pustu follow-up
tasks are made from; its shape is documented in docs/clinical-rules.md."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical import validate
from backend.clinical.dates import age, parse_date
from backend.clinical.items import sort_items
from backend.clinical.lifestage import eligible, maternal_state, stage_for
from backend.clinical.pregnancy import anc_items, dating, nifas_vitamin_a_item, visit_items
from backend.clinical.schedules import immunization_items, td_item, vitamin_a_item
from backend.clinical.screening import screening_items


def due_list(config: dict, *, person: dict, history: list[dict], date: str) -> dict:
    """Life stage, flags, pregnancy/nifas summary, eligible services, record problems and
    every item (overdue, due, not recorded, upcoming, done, missed) for `person` (a person
    document) given their encounter and pregnancy documents, on `date`."""
    on = parse_date(date, "date")
    birth = validate.past_date(person.get("birth_date"), "person.birth_date", on)
    sex = validate.sex(person.get("sex"), "person.sex")
    stage = stage_for(config, birth, on)
    result = {"date": on.isoformat(), "config_version": config["version"],
              "person": person.get("_id"), "age": age(birth, on), "life_stage": stage["code"],
              "life_stage_label": stage["label"], "flags": [], "pregnancy": None,
              "nifas": None, "eligible": eligible(config, birth, sex, on, None, []),
              "record_problems": [], "items": []}
    deceased = person.get("deceased_date")
    if deceased and parse_date(deceased, "person.deceased_date") <= on:
        return {**result, "deceased": True, "eligible": {"pregnancy": False, "kb": False}}
    encs = hist.encounters(history, on)
    maternal = maternal_state(config, hist.pregnancies(history), on, birth, sex)
    lookahead = config["screenings"]["lookahead_days"]
    pregnancy = maternal["pregnancy"]
    hpht = pregnancy[1] if pregnancy else None
    items = _vaccines_and_visits(config, birth, sex, encs, on, pregnancy is not None, lookahead)
    items += _maternal_items(config, maternal, encs, on, lookahead, result)
    person_facts = {"birth": birth, "sex": sex, "hpht": hpht, "smoker": hist.is_smoker(encs)}
    items += screening_items(config, person_facts, encs, on, lookahead)
    return {**result, "flags": maternal["flags"], "record_problems": maternal["problems"],
            "eligible": eligible(config, birth, sex, on, person.get("relation"),
                                 maternal["flags"]),
            "items": sort_items(items)}


def _vaccines_and_visits(config: dict, birth: date, sex: str, encs: list[dict], on: date,
                         pregnant: bool, lookahead: int) -> list[dict]:
    """Immunizations, Td for women, vitamin A and, for newborns, the KN visits."""
    records = hist.immunizations(encs)
    items = immunization_items(config, birth, sex, records, on, lookahead)
    items += [item for item in (td_item(config, birth, sex, records, on, pregnant, lookahead),
                                vitamin_a_item(config, birth, encs, on, lookahead)) if item]
    if (on - birth).days <= config["maternal"]["kn"]["visits"][-1]["until_day"]:
        items += visit_items(config, "kn", birth, encs, on, lookahead)
    return items


def _maternal_items(config: dict, maternal: dict, encs: list[dict], on: date, lookahead: int,
                    result: dict) -> list[dict]:
    """ANC of the current pregnancy and KF of a recent delivery; fills their summaries."""
    items: list[dict] = []
    if maternal["pregnancy"]:
        doc, hpht = maternal["pregnancy"]
        result["pregnancy"] = {"id": doc.get("_id"),
                               **(dating(config, hpht, on) if hpht else {"hpht": None})}
        if hpht:
            items += anc_items(config, doc, hpht, encs, on, lookahead)
    if maternal["delivery"]:
        doc, delivered = maternal["delivery"]
        result["nifas"] = {"pregnancy": doc.get("_id"), "delivery_date": delivered.isoformat(),
                           "day": (on - delivered).days}
        items += visit_items(config, "kf", delivered, encs, on, lookahead)
        vitamin_a = nifas_vitamin_a_item(config, delivered, encs, on, lookahead)
        items += [vitamin_a] if vitamin_a else []
    return items
