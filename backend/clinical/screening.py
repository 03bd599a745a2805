"""The life-stage screening programme: who is screened for what and how often (JS twin:
screening.js). Rules: config/ilp/screenings.json; each rule has one cadence: a calendar month
(`cycle`), an interval since the last time, in periods of that length (`every`), fixed ages
(`at_ages_months`), once per pregnancy (`per_pregnancy`) or once in given trimesters
(`per_trimester`)."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical.dates import (
    add_duration,
    add_months,
    month_bounds,
    period_start,
    shift_days,
)
from backend.clinical.items import make_item, window_status
from backend.clinical.pregnancy import trimester_window


def screening_items(config: dict, person: dict, encs: list[dict], on: date,
                    lookahead: int) -> list[dict]:
    """`person`: {birth, sex, hpht (current pregnancy or None), smoker}."""
    items = []
    for rule in config["screenings"]["rules"]:
        window = _eligibility(rule["who"], person, encs, on)
        if window is None:
            continue
        dates = hist.done_dates(encs, rule["what"])
        items.extend(_cadence(rule)(config, rule, window, dates, person, on, lookahead))
    return items


def screenings_done(config: dict, person: dict, encs: list[dict],
                    rules: list[dict] | None = None, first_only: bool = False
                    ) -> list[tuple[dict, str]]:
    """(encounter, rule code) for every encounter of `encs` (hist.encounters, oldest first)
    that did what a screenings.json rule (of `rules`, default all) asks while the person was
    eligible for it on that day (the rule's age, sex, smoking, diagnosis and pregnancy
    conditions, as the due list judges them). `person`: {birth, sex, hpht (a pregnancy's
    HPHT or None), smoker}. What a screening programme counts as 'screened' (PWS:
    docs/pws.md) is this, not a second list. `first_only`: one rule per encounter, for a
    caller that asks only whether the visit screened."""
    done = []
    for index, enc in enumerate(encs):
        for rule in config["screenings"]["rules"] if rules is None else rules:
            if not hist.satisfies(enc, rule["what"]):
                continue
            window = _eligibility(rule["who"], person, encs[:index + 1], enc["_date"])
            if window is not None and window[0] <= enc["_date"]:
                done.append((enc, rule["code"]))
                if first_only:
                    break
    return done


def _eligibility(who: dict, person: dict, encs: list[dict], on: date) -> tuple | None:
    """(first day eligible, first day no longer eligible or None), or None if not eligible."""
    if "sex" in who and who["sex"] != person["sex"]:
        return None
    if who.get("smoker") and not person["smoker"]:
        return None
    starts, end = [], None
    if "age" in who:
        low, high = who["age"]
        starts.append(add_duration(person["birth"], low))
        end = None if high is None else add_duration(person["birth"], high)
    if who.get("pregnant"):
        if person["hpht"] is None:
            return None
        starts.append(person["hpht"])
    if "diagnosis" in who:
        diagnosed = hist.first_diagnosis(encs, who["diagnosis"])
        if diagnosed is None:
            return None
        starts.append(diagnosed)
    if end is not None and on >= end:
        return None
    return max(starts), end


def _cadence(rule: dict):
    for key, cadence in CADENCES.items():
        if rule.get(key):
            return cadence
    raise ValueError(f"screening rule {rule['code']} has no cadence")


def _item(rule: dict, status: str, **extra) -> dict:
    if rule.get("setting"):
        extra["setting"] = rule["setting"]
    return make_item(extra.pop("code", rule["code"]), rule["kind"], extra.pop(
        "label", rule["label"]), status, rule["source"], **extra)


def _upcoming(rule: dict, start: date, on: date, lookahead: int) -> list[dict]:
    if (start - on).days <= lookahead:
        return [_item(rule, "upcoming", due_from=start)]
    return []


def _monthly(config, rule, window, dates, person, on, lookahead) -> list[dict]:
    """Once per calendar month (weighing, monthly control of hypertension and DM)."""
    start, _ = window
    first, last = month_bounds(on)
    if start > on:
        return _upcoming(rule, start, on, lookahead)
    done_on = next((day for day in reversed(dates) if first <= day), None)
    return [_item(rule, "done" if done_on else "due", due_from=max(first, start),
                  due_until=last, done_on=done_on)]


def _every(config, rule, window, dates, person, on, lookahead) -> list[dict]:
    """Again `every` after the last time (never done: from the first day eligible). Once due,
    periods of `every` follow each other from that day; the item is due from the start of the
    current period and overdue `overdue_after` into it, so a person first seen today is not
    'late since' the day they became eligible years ago."""
    start, _ = window
    done = [day for day in dates if day >= start]
    last = done[-1] if done else None
    due = add_duration(last, rule["every"]) if last else start
    if on < due:
        if last:
            return [_item(rule, "done", due_from=due, done_on=last)]
        return _upcoming(rule, due, on, lookahead)
    period = period_start(due, rule["every"], on)
    grace = rule.get("overdue_after")
    late_from = add_duration(period, grace) if grace else None
    status = "overdue" if late_from and on >= late_from else "due"
    return [_item(rule, status, due_from=period,
                  due_until=shift_days(late_from, -1) if late_from else None, last_done=last)]


def _at_ages(config, rule, window, dates, person, on, lookahead) -> list[dict]:
    """At fixed ages (KPSP): each age opens a window that lasts until the next age."""
    birth = person["birth"]
    starts = [add_months(birth, months) for months in rule["at_ages_months"]]
    current = [i for i, start in enumerate(starts) if start <= on]
    if not current:
        return _upcoming(rule, starts[0], on, lookahead)
    index = current[-1]
    start = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else window[1]
    label = f"{rule['label']} umur {rule['at_ages_months'][index]} bulan"
    done_on = next((day for day in dates if start <= day and (end is None or day < end)), None)
    if done_on:
        return [_item(rule, "done", label=label, due_from=start, done_on=done_on)]
    late = add_duration(start, rule["overdue_after"])
    return [_item(rule, "overdue" if on >= late else "due", label=label, due_from=start,
                  due_until=shift_days(end, -1) if end else None)]


def _per_pregnancy(config, rule, window, dates, person, on, lookahead) -> list[dict]:
    start, _ = window
    done_on = next((day for day in dates if day >= start), None)
    return [_item(rule, "done" if done_on else "due", due_from=start, done_on=done_on)]


def _per_trimester(config, rule, window, dates, person, on, lookahead) -> list[dict]:
    items = []
    for number in rule["per_trimester"]:
        first, last = trimester_window(config, person["hpht"], number)
        done_on = next((day for day in dates if first <= day <= last), None)
        status = "done" if done_on else window_status(on, first, last, lookahead)
        if status:
            items.append(_item(rule, status, code=f"{rule['code']}_t{number}",
                               label=f"{rule['label']} (trimester {number})", due_from=first,
                               due_until=last, done_on=done_on))
    return items


CADENCES = {"cycle": _monthly, "at_ages_months": _at_ages, "per_pregnancy": _per_pregnancy,
            "per_trimester": _per_trimester, "every": _every}
