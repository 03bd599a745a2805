"""Life stage (bayi ... lansia), the hamil / nifas flags and which services of reproductive
age apply to a person (JS twin: lifestage.js). Rules: config/ilp/lifestages.json."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical import validate
from backend.clinical.dates import add_duration, age, in_age_range, parse_date
from backend.clinical.pregnancy import current_pregnancy, recent_delivery


def stage_for(config: dict, birth: date, on: date) -> dict:
    """The first stage whose upper age bound is still ahead."""
    return next(stage for stage in config["lifestages"]["stages"]
                if stage["until"] is None or on < add_duration(birth, stage["until"]))


def can_be_pregnant(config: dict, birth: date, sex: str, on: date) -> bool:
    rule = config["lifestages"]["reproductive"]["pregnancy"]
    return sex == rule["sex"] and in_age_range(birth, on, rule["age"])


def maternal_state(config: dict, pregnancies: list[dict], on: date, birth: date,
                   sex: str) -> dict:
    """The current pregnancy and the delivery still in its nifas period, with their flags.
    For a person who cannot be pregnant (a man, a toddler) both are ignored, and the records
    that would have counted are reported as `problems` to be checked."""
    if not can_be_pregnant(config, birth, sex, on):
        return {"pregnancy": None, "delivery": None, "flags": [],
                "problems": _not_applicable(config, pregnancies, on)}
    current = current_pregnancy(config, pregnancies, on)
    delivery = recent_delivery(config, pregnancies, on)
    flags = [flag for flag, found in (("hamil", current), ("nifas", delivery)) if found]
    return {"pregnancy": current, "delivery": delivery, "flags": flags, "problems": []}


def _not_applicable(config: dict, pregnancies: list[dict], on: date) -> list[dict]:
    """Ongoing pregnancies and deliveries within the nifas period; older ones are history
    (a grandmother's pregnancy of 1979 is no error). Dates are not checked: the record is
    ignored anyway."""
    limit = config["lifestages"]["flags"]["nifas"]["days_after_delivery"]
    found = []
    for doc in pregnancies:
        delivered = (doc.get("delivery") or {}).get("date")
        recent = False
        if isinstance(delivered, str):
            try:
                recent = 0 <= (on - parse_date(delivered, "pregnancy.delivery.date")).days <= limit
            except ValueError:
                recent = True
        if doc.get("status") == "ongoing" or recent:
            found.append({"code": "pregnancy_not_applicable", "record": doc.get("_id")})
    return found


def eligible(config: dict, birth: date, sex: str, on: date, relation: object,
             flags: list[str]) -> dict:
    """Which services of reproductive age concern this person: recording a pregnancy, and
    family planning (KB) for a couple of reproductive age (PUS)."""
    pus = config["lifestages"]["reproductive"]["pus"]
    kb = (sex == pus["sex"] and in_age_range(birth, on, pus["age"])
          and relation in pus["relations"] and not set(flags) & set(pus["not_when"]))
    return {"pregnancy": can_be_pregnant(config, birth, sex, on), "kb": kb}


def life_stage(config: dict, *, person: dict, history: list[dict] | None = None,
               date: str) -> dict:
    """Stage code and label, age, flags, eligible services and record problems for a person
    document on `date`."""
    on = parse_date(date, "date")
    birth = validate.past_date(person.get("birth_date"), "person.birth_date", on)
    sex = person.get("sex")  # not checked here: a life stage needs only the birth date
    stage = stage_for(config, birth, on)
    maternal = maternal_state(config, hist.pregnancies(history or []), on, birth, sex)
    return {"code": stage["code"], "label": stage["label"], "age": age(birth, on),
            "flags": maternal["flags"],
            "eligible": eligible(config, birth, sex, on, person.get("relation"),
                                 maternal["flags"]),
            "record_problems": maternal["problems"]}
