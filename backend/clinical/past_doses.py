"""Past doses from the Buku KIA (JS twin: past_doses.js): which doses of a person's
immunization series have no record yet, and whether dates copied from the book can be true.

A date before birth or in the future, before the dose's minimum age, before the minimum
interval after the dose before it, or out of order with the doses around it is refused with
a problem code the form turns into an Indonesian message; nothing is stored until none is
left. Rules: config/ilp/immunization.json (`min_age`, `min_interval`)."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical import validate
from backend.clinical.dates import add_duration, parse_date
from backend.clinical.errors import ClinicalInputError
from backend.clinical.schedules import applicable_series


def past_doses(config: dict, *, person: dict, history: list[dict], date: str,
               doses: dict | None = None) -> dict:
    """`slots`: the doses open for entry (minimum age reached, no record); with `doses`
    ({dose code: ISO date}, empty dates skipped) the `problems` with them and, when there
    is none, the `immunizations` to store in one encounter, in dose order."""
    on = parse_date(date, "date")
    birth = validate.past_date(person.get("birth_date"), "person.birth_date", on)
    sex = validate.sex(person.get("sex"), "person.sex")
    records = hist.immunizations(hist.encounters(history, on))
    entered = {code: value for code, value in (doses or {}).items() if value}
    slots, immunizations, problems = [], [], []
    for series in applicable_series(config, sex):
        known = _known_dates(series, records)
        open_doses = [d for d in series if d["dose"] not in known
                      and add_duration(birth, d["min_age"]) <= on]
        slots += [_slot(dose, birth) for dose in open_doses]
        dated = _parse(series, entered, open_doses, problems)
        problems += _check(series, {**known, **dated}, dated, birth, on)
        immunizations += [{"vaccine": d["vaccine"], "dose": d["dose"],
                           "date": dated[d["dose"]].isoformat()}
                          for d in series if d["dose"] in dated]
    codes = {dose["code"] for series in applicable_series(config, sex) for dose in series}
    problems += [{"code": code, "problem": "not_open"} for code in entered if code not in codes]
    # All or nothing: one wrong date and the book is read again before anything is stored.
    return {"slots": slots, "immunizations": [] if problems else immunizations,
            "problems": problems}


def _known_dates(series: list[dict], records: list[dict]) -> dict[int, date]:
    """Dose number -> date of its first record."""
    known: dict[int, date] = {}
    for record in records:
        if record["vaccine"] == series[0]["vaccine"]:
            known.setdefault(record["dose"], record["date"])
    return known


def _slot(dose: dict, birth: date) -> dict:
    return {"code": dose["code"], "vaccine": dose["vaccine"], "dose": dose["dose"],
            "label": dose["label"], "earliest": add_duration(birth, dose["min_age"]).isoformat()}


def _parse(series: list[dict], entered: dict, open_doses: list[dict],
           problems: list[dict]) -> dict[int, date]:
    """Dates entered for this series' doses: dose number -> date; a dose that is recorded
    already, or a date that is not one, is a problem."""
    open_codes = {dose["code"] for dose in open_doses}
    dated: dict[int, date] = {}
    for dose in series:
        value = entered.get(dose["code"])
        if value is None:
            continue
        if dose["code"] not in open_codes:
            problems.append({"code": dose["code"], "problem": "not_open"})
            continue
        try:
            dated[dose["dose"]] = parse_date(value, dose["code"])
        except ClinicalInputError:
            problems.append({"code": dose["code"], "problem": "not_a_date"})
    return dated


def _check(series: list[dict], dates: dict[int, date], entered: dict[int, date],
           birth: date, on: date) -> list[dict]:
    problems = []
    for index, dose in enumerate(series):
        day = entered.get(dose["dose"])
        if day is None:
            continue
        found = _alone(dose, day, birth, on) or _against_neighbours(series, index, dates, entered)
        if found:
            problems.append({"code": dose["code"], **found})
    return problems


def _alone(dose: dict, day: date, birth: date, on: date) -> dict | None:
    if day < birth:
        return {"problem": "before_birth"}
    if day > on:
        return {"problem": "future"}
    earliest = add_duration(birth, dose["min_age"])
    if day < earliest:
        return {"problem": "before_min_age", "earliest": earliest.isoformat()}
    return None


def _against_neighbours(series: list[dict], index: int, dates: dict[int, date],
                        entered: dict[int, date]) -> dict | None:
    """Order against the nearest dated doses before and after, and the minimum interval
    after the dose just before (and, when that one is on record, to the dose just after:
    between two entered doses the later one carries the problem)."""
    dose, day = series[index], dates[series[index]["dose"]]
    before = next((d for d in reversed(series[:index]) if d["dose"] in dates), None)
    after = next((d for d in series[index + 1:] if d["dose"] in dates), None)
    if before and day < dates[before["dose"]]:
        return {"problem": "before_previous", "other": before["code"]}
    if before and before is series[index - 1] and dose.get("min_interval"):
        earliest = add_duration(dates[before["dose"]], dose["min_interval"])
        if day < earliest:
            return {"problem": "before_min_interval", "other": before["code"],
                    "earliest": earliest.isoformat()}
    if after and day > dates[after["dose"]]:
        return {"problem": "after_next", "other": after["code"]}
    if after and after is series[index + 1] and after["dose"] not in entered \
            and after.get("min_interval") \
            and dates[after["dose"]] < add_duration(day, after["min_interval"]):
        return {"problem": "interval_to_next", "other": after["code"]}
    return None
