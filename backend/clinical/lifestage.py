"""Life stage (bayi ... lansia) and the hamil / nifas flags (JS twin: lifestage.js)."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical import validate
from backend.clinical.dates import add_duration, age, parse_date
from backend.clinical.pregnancy import current_pregnancy, recent_delivery


def stage_for(config: dict, birth: date, on: date) -> dict:
    """The first stage whose upper age bound is still ahead."""
    return next(stage for stage in config["lifestages"]["stages"]
                if stage["until"] is None or on < add_duration(birth, stage["until"]))


def maternal_state(config: dict, pregnancies: list[dict], on: date) -> dict:
    """The current pregnancy and the delivery still in its nifas period, with their flags."""
    current = current_pregnancy(config, pregnancies, on)
    delivery = recent_delivery(config, pregnancies, on)
    flags = [flag for flag, found in (("hamil", current), ("nifas", delivery)) if found]
    return {"pregnancy": current, "delivery": delivery, "flags": flags}


def life_stage(config: dict, *, person: dict, history: list[dict] | None = None,
               date: str) -> dict:
    """Stage code and label, age, and flags for a person document on `date`."""
    on = parse_date(date, "date")
    birth = validate.past_date(person.get("birth_date"), "person.birth_date", on)
    stage = stage_for(config, birth, on)
    return {"code": stage["code"], "label": stage["label"], "age": age(birth, on),
            "flags": maternal_state(config, hist.pregnancies(history or []), on)["flags"]}
