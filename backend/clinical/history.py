"""Facts read from a person's history: their encounter and pregnancy documents (JS twin:
history.js). Only records on or before the evaluation date count; deleted encounters and
encounters corrected by a later one are ignored (docs/invariants.md §3)."""

from __future__ import annotations

from datetime import date

from backend.clinical import validate
from backend.clinical.dates import parse_date


def encounters(history: list[dict], on: date) -> list[dict]:
    """Live encounters up to `on`, oldest first, each with a parsed `_date`."""
    docs = [doc for doc in history if doc.get("type") == "encounter" and not doc.get("_deleted")]
    corrected = {doc["corrects"] for doc in docs if doc.get("corrects")}
    live = []
    for doc in docs:
        when = parse_date(doc.get("date"), "encounter.date")
        if doc.get("_id") not in corrected and when <= on:
            live.append({**doc, "_date": when})
    return sorted(live, key=lambda doc: doc["_date"])


def pregnancies(history: list[dict]) -> list[dict]:
    return [doc for doc in history if doc.get("type") == "pregnancy" and not doc.get("_deleted")]


def immunizations(encs: list[dict]) -> list[dict]:
    """Every vaccine given: {vaccine, dose, date}, oldest first."""
    records = []
    for enc in encs:
        for given in enc.get("immunizations") or []:
            when = parse_date(given["date"], "immunization.date") if given.get("date") \
                else enc["_date"]
            records.append({"vaccine": given.get("vaccine"), "dose": given.get("dose"),
                            "date": when})
    return sorted(records, key=lambda record: record["date"])


def has_service(enc: dict, codes: list[str]) -> bool:
    return any(service.get("code") in codes for service in enc.get("services") or [])


def satisfies(enc: dict, what: dict) -> bool:
    """Whether an encounter did `what`: measured every listed field, used the instrument, or
    gave one of the service codes."""
    if "measurements" in what:
        measured = enc.get("measurements") or {}
        return all(measured.get(name) is not None for name in what["measurements"])
    if "instrument" in what:
        return any(s.get("instrument") == what["instrument"] for s in enc.get("screenings") or [])
    return has_service(enc, what["services"])


def done_dates(encs: list[dict], what: dict) -> list[date]:
    return [enc["_date"] for enc in encs if satisfies(enc, what)]


def has_diagnosis(enc: dict, categories: list[str]) -> bool:
    """Whether the encounter diagnosed an ICD-10 code of one of the 3-character `categories`."""
    return any(d.get("icd10", "")[:3] in categories for d in enc.get("diagnoses") or [])


def first_diagnosis(encs: list[dict], prefixes: list[str]) -> date | None:
    """Date of the first ICD-10 diagnosis starting with one of `prefixes`."""
    return next((enc["_date"] for enc in encs if has_diagnosis(enc, prefixes)), None)


def is_smoker(encs: list[dict]) -> bool:
    """The latest smoking screening: its `merokok` answer, else its stored result."""
    for enc in reversed(encs):
        for screening in enc.get("screenings") or []:
            if screening.get("instrument") != "merokok":
                continue
            answer = (screening.get("answers") or {}).get("merokok")
            if answer is not None:
                return validate.yes_no(answer, "answers.merokok")
            return screening.get("result") == "perokok"
    return False
