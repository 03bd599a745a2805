"""Immunization schedule (ideal vs kejar), Td status of women of childbearing age and the
vitamin A rounds (JS twin: schedules.js). Rules: config/ilp/immunization.json, vitamin_a.json."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical.dates import add_duration, in_age_range, month_bounds, shift_days
from backend.clinical.items import make_item


def _applies(when: dict | None, sex: str, settings: dict) -> bool:
    if not when:
        return True
    if "sex" in when and when["sex"] != sex:
        return False
    return "setting" not in when or bool(settings[when["setting"]])


def _series(doses: list[dict]) -> dict[str, list[dict]]:
    series: dict[str, list[dict]] = {}
    for dose in doses:
        series.setdefault(dose["vaccine"], []).append(dose)
    return series


def applicable_series(config: dict, sex: str) -> list[list[dict]]:
    """Each vaccine series as its doses in order, without the doses that do not apply to
    this sex or deployment setting (HPV for boys, JE outside endemic districts)."""
    spec = config["immunization"]
    settings = {name: setting["value"] for name, setting in spec["settings"].items()}
    found = [[dose for dose in doses if _applies(dose.get("when"), sex, settings)]
             for doses in _series(spec["doses"]).values()]
    return [doses for doses in found if doses]


def immunization_items(config: dict, birth: date, sex: str, records: list[dict], on: date,
                       lookahead: int) -> list[dict]:
    """Per vaccine series: the doses given (while their window is open) and the next dose."""
    items = []
    for doses in applicable_series(config, sex):
        items += _series_items(doses, birth, records, on, lookahead)
    return items


def valid_doses(config: dict, birth: date, sex: str, records: list[dict]) -> dict[str, date]:
    """Dose code -> date of every applicable dose the schedule counts as given (minimum age
    and minimum interval kept, an early dose not counted, a series stopping at its first dose
    without a valid record), by the same walk as `immunization_items`: seen from the birth
    date every dose's window is still open, so each valid dose is exactly one `done` item.
    PWS dates IDL and the baduta boosters from this (docs/pws.md)."""
    return {item["code"]: date.fromisoformat(item["done_on"])
            for item in immunization_items(config, birth, sex, records, birth, 0)
            if item["status"] == "done"}


def _series_items(doses: list[dict], birth: date, records: list[dict], on: date,
                  lookahead: int) -> list[dict]:
    """A dose counts from its minimum age and minimum interval after the previous dose; one
    given earlier is not valid (listed as `early_doses`). Later doses of a series wait for
    the earlier one, as in the catch-up schedule. A dose without a record of its own before
    the last dose recorded in the series was most likely given and not written down:
    `not_recorded` (to fill in from the Buku KIA), never due again; the dose after it counts
    from its minimum age alone, since the date of the one before is unknown."""
    recorded = {r["dose"] for r in records if r["vaccine"] == doses[0]["vaccine"]}
    last = max((i for i, dose in enumerate(doses) if dose["dose"] in recorded), default=-1)
    items, previous = [], None
    for index, dose in enumerate(doses):
        if index < last and dose["dose"] not in recorded:
            if on < add_duration(birth, dose["catch_up_until"]):
                items.append(_not_recorded(dose, birth))
            previous = None
            continue
        item, previous, stop = _dose(dose, birth, previous, records, on, lookahead)
        if item:
            items.append(item)
        if stop:
            break
    return items


def _not_recorded(dose: dict, birth: date) -> dict:
    ideal_from, ideal_end = (add_duration(birth, bound) for bound in dose["ideal"])
    end = add_duration(birth, dose["catch_up_until"])
    return _item(dose, "not_recorded", ideal_from, ideal_end, vaccine=dose["vaccine"],
                 dose=dose["dose"], kejar_until=shift_days(end, -1), note=dose.get("note"))


def _dose(dose: dict, birth: date, previous: date | None, records: list[dict], on: date,
          lookahead: int) -> tuple[dict | None, date | None, bool]:
    """(item or None, date of this dose if valid, whether later doses must wait)."""
    end = add_duration(birth, dose["catch_up_until"])
    earliest = add_duration(birth, dose["min_age"])
    if previous and dose.get("min_interval"):
        earliest = max(earliest, add_duration(previous, dose["min_interval"]))
    ideal_from, ideal_end = (add_duration(birth, bound) for bound in dose["ideal"])
    given = [r["date"] for r in records if r["vaccine"] == dose["vaccine"]
             and r["dose"] == dose["dose"]]
    valid = next((day for day in given if day >= earliest), None)
    common = {"vaccine": dose["vaccine"], "dose": dose["dose"],
              "kejar_until": shift_days(end, -1), "note": dose.get("note")}
    due_from = max(ideal_from, earliest)
    if valid:
        timing = "ideal" if valid < ideal_end else "kejar"
        item = _item(dose, "done", due_from, ideal_end, timing=timing, done_on=valid, **common) \
            if on < end else None
        return item, valid, False
    if on >= end or due_from >= end:
        return None, None, False
    early = [day.isoformat() for day in given] or None
    if on < due_from:
        status = "upcoming" if (due_from - on).days <= lookahead else None
        timing = "ideal" if due_from < ideal_end else "kejar"
    else:
        status, timing = ("due", "ideal") if on < ideal_end else ("overdue", "kejar")
    item = _item(dose, status, due_from, ideal_end, timing=timing, early_doses=early,
                 **common) if status else None
    return item, None, True


def _item(spec: dict, status: str, due_from: date, ideal_end: date, **extra) -> dict:
    due_until = shift_days(ideal_end, -1)
    return make_item(spec["code"], "immunization", spec["label"], status, spec["source"],
                     due_from=due_from, due_until=due_until if due_until >= due_from else None,
                     **extra)


def td_status(spec: dict, birth: date, records: list[dict]) -> tuple[int, date | None]:
    """T status (0-5) and the date of the last tetanus-containing dose that counts.

    Childhood doses earn credit (DPT-HB-Hib x3 = T2, booster = T3, DT = T4, school Td = T5);
    adult Td/TT doses add one each unless their recorded dose number says more."""
    adult_from = add_duration(birth, spec["age"][0])
    vaccines = [spec["vaccine"], *spec["also_counts"]]
    credit, last = 0, None
    for rule in spec["childhood_credit"]:
        cutoff = add_duration(birth, rule["before_age"]) if "before_age" in rule else None
        doses = [r["date"] for r in records if r["vaccine"] == rule["vaccine"]
                 and (cutoff is None or r["date"] < cutoff)]
        if len(doses) >= rule["min_doses"]:
            credit += rule["t"]
            last = max(filter(None, [last, doses[rule["min_doses"] - 1]]))
    adult = [r for r in records if r["vaccine"] in vaccines and r["date"] >= adult_from]
    numbered = [r["dose"] for r in adult if isinstance(r["dose"], int)]
    status = min(spec["max_t"], max([credit + len(adult), *numbered]))
    if adult:
        last = adult[-1]["date"]
    return status, last


def td_item(config: dict, birth: date, sex: str, records: list[dict], on: date, pregnant: bool,
            lookahead: int) -> dict | None:
    """The next Td dose of a woman 15-39 (or pregnant at any age) until she reaches T5."""
    spec = config["immunization"]["td_wus"]
    in_age = in_age_range(birth, on, spec["age"])
    if sex != spec["sex"] or not (in_age or (pregnant and spec["pregnant_any_age"])):
        return None
    status_t, last = td_status(spec, birth, records)
    extra = {"t_status": status_t, "vaccine": spec["vaccine"]}
    if status_t >= spec["max_t"]:
        return make_item("Td-WUS", "immunization", f"{spec['label']}: T{spec['max_t']} lengkap",
                         "done", spec["source"], done_on=last, timing="ideal", **extra)
    next_t = status_t + 1
    due_from = add_duration(birth, spec["age"][0]) if in_age else on
    if last and next_t > 1:
        due_from = max(due_from, add_duration(last, spec["intervals"][str(next_t)]))
    label = f"Td WUS dosis T{next_t}"
    if on < due_from:
        if (due_from - on).days > lookahead:
            return None
        return make_item("Td-WUS", "immunization", label, "upcoming", spec["source"],
                         due_from=due_from, timing="ideal", next_dose=next_t, **extra)
    late = spec["kejar_after"] is not None and (on - due_from).days > spec["kejar_after"]
    return make_item("Td-WUS", "immunization", label, "overdue" if late else "due",
                     spec["source"], due_from=due_from, timing="kejar" if late else "ideal",
                     next_dose=next_t, **extra)


def vitamin_a_item(config: dict, birth: date, encs: list[dict], on: date,
                   lookahead: int) -> dict | None:
    """This round's capsule (February/August) for children 6-59 months, or the next round's
    when it starts within the look-ahead."""
    spec = config["vitamin_a"]
    round_start = _round_start(spec["round_months"], on)
    if round_start > on and (round_start - on).days > lookahead:
        return None
    reference = max(on, round_start)
    capsule = next((c for c in spec["capsules"] if in_age_range(birth, reference, c["age"])),
                   None)
    if capsule is None:
        return None
    given = [enc["_date"] for enc in encs if hist.has_service(enc, spec["service_codes"])]
    _, round_end = month_bounds(round_start)
    done_on = next((day for day in given if round_start <= day <= round_end), None)
    if capsule["once"] and done_on is None:
        done_on = next((day for day in given if in_age_range(birth, day, capsule["age"])), None)
    status = "done" if done_on else ("due" if round_start <= on else "upcoming")
    return make_item(f"VITA-{capsule['colour'].upper()}", "vitamin_a", capsule["label"], status,
                     spec["source"], due_from=round_start, due_until=round_end,
                     done_on=done_on, colour=capsule["colour"], dose_iu=capsule["dose_iu"])


def _round_start(months: list[int], on: date) -> date:
    """First day of the round month containing `on`, else of the next round month."""
    if on.month in months:
        return on.replace(day=1)
    later = [m for m in months if m > on.month]
    if later:
        return date(on.year, later[0], 1)
    return date(on.year + 1, months[0], 1)
