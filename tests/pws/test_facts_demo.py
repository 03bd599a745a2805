"""Agreement on the demo: the facts PWS counts say what the clinical evaluator says.

For every child of a generated demo (two desa, scale 0.25, the tests/demo fixture's seed and
day) each growth row equals the visit's own findings (encounter_findings: growth_zscores and
weight_trend); the IDL events equal what the due list (due_list) shows dose by dose; and for
every pregnancy K1, K1 murni and K4 equal the due list's ANC contacts on the day the
pregnancy ended. Pure: no database (the write path is test_facts_refresh.py's)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from backend.clinical import default_config, due_list, encounter_findings
from backend.clinical import history as hist
from backend.clinical.dates import add_duration, shift_days
from backend.clinical.pregnancy import hpht_of
from backend.clinical.schedules import applicable_series
from backend.pws.catalogue import EVENTS
from backend.pws.facts import FACTS, person_facts
from tests.demo.conftest import SEED, TODAY
from tests.generated import demo_documents

CFG = default_config()


class Record:
    def __init__(self, person: dict, history: list[dict]):
        self.person, self.history = person, history
        self.growth, events = person_facts(CFG, person, history)
        self.events: dict[str, list[dict]] = defaultdict(list)
        for row in events:
            self.events[row["event"]].append(row)
        self.birth = dt.date.fromisoformat(person["birth_date"])


@pytest.fixture(scope="module")
def records() -> list[Record]:
    docs = demo_documents(0.25, SEED, TODAY)
    history: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        if doc["type"] in ("encounter", "pregnancy"):
            history[doc["person"]].append(doc)
    return [Record(doc, history[doc["_id"]]) for doc in docs if doc["type"] == "person"]


def test_the_demo_has_every_kind_of_fact(records):
    """The agreement below is not vacuous: the demo yields each event code PWS counts."""
    seen = {code for record in records for code in record.events}
    assert seen == set(EVENTS)      # every code the catalogue counts, and no other
    assert sum(len(record.growth) for record in records) > 1000


def test_every_growth_row_is_what_the_visit_findings_say(records):
    until = CFG["growth"]["weight_trend"]["until_age_months"]
    compared = 0
    for record in records:
        rows = {row["encounter_id"]: row for row in record.growth}
        for enc in hist.encounters(record.history, TODAY):
            measured = enc.get("measurements") or {}
            under_five = enc["_date"] < add_duration(record.birth, f"P{until}M")
            if not under_five or (measured.get("weight_kg") is None
                                  and measured.get("height_cm") is None):
                assert enc["_id"] not in rows
                continue
            found = {row["finding"]: row for row in encounter_findings(
                CFG, person=record.person, encounter=enc, history=record.history)}
            row = rows[enc["_id"]]
            for index, z, category in (("bb_u", "waz", "bbu"), ("tb_u", "haz", "tbu"),
                                       ("bb_tb", "whz", "bbtb")):
                expected = found.get(index)
                assert (row[z], row[category]) == (
                    (expected["value"], expected["code"]) if expected else (None, None)), \
                    (enc["_id"], index)
            trend = found.get("weight_trend")
            assert (row["trend"], row["two_t"]) == (
                (trend["code"], trend["two_t"]) if trend else (None, False)), enc["_id"]
            compared += 1
    assert compared > 1000


def _idl_doses(record: Record) -> list[dict]:
    first_birthday = add_duration(record.birth, FACTS["idl_before"])
    return [dose for series in applicable_series(CFG, record.person["sex"]) for dose in series
            if dose["group"] == "dasar"
            and add_duration(record.birth, dose["ideal"][0]) < first_birthday]


def test_idl_events_equal_the_due_list_dose_by_dose(records):
    """Each basic dose is read from the due list on the last day its window is open (or the
    IDL day, or the eve of the first birthday): IDL on D exactly when every dose is `done`
    by then and the last was done on D."""
    checked = idl = 0
    for record in records:
        first_birthday = add_duration(record.birth, FACTS["idl_before"])
        if first_birthday > TODAY or first_birthday < TODAY - dt.timedelta(days=4 * 365):
            continue
        event = record.events.get("idl")
        limit = event[0]["date"] if event else shift_days(first_birthday, -1)
        done: dict[str, dt.date] = {}
        lists: dict[dt.date, dict] = {}
        for dose in _idl_doses(record):
            closes = shift_days(add_duration(record.birth, dose["catch_up_until"]), -1)
            on = min(limit, closes)
            if on not in lists:
                lists[on] = {(item["code"]): item for item in due_list(
                    CFG, person=record.person, history=record.history,
                    date=on.isoformat())["items"]}
            item = lists[on].get(dose["code"])
            if item and item["status"] == "done":
                done[dose["code"]] = dt.date.fromisoformat(item["done_on"])
        complete = len(done) == len(_idl_doses(record))
        assert bool(event) == complete, record.person["_id"]
        if event:
            assert max(done.values()) == event[0]["date"], record.person["_id"]
            idl += 1
        checked += 1
    assert checked > 50 and 0 < idl < checked


def test_k1_and_k4_equal_the_due_list_on_the_day_the_pregnancy_ended(records):
    """The due list shows the current pregnancy's contacts K1-K6 (maternal.json): K1 is the
    first contact, K1 murni when its timing is ideal (trimester 1), and 1-1-2 is reached when
    K1 is murni and K3 (trimester 2) and K5 (the second of trimester 3) are done, on the
    latest of those days. Each pregnancy is read as it stood on its last day."""
    compared = k4 = 0
    limit = CFG["maternal"]["anc"]["trimester_3_until_day"]
    for record in records:
        for doc in hist.pregnancies(record.history):
            raw = hpht_of(CFG, doc)
            if not raw:
                continue
            hpht = dt.date.fromisoformat(raw)
            delivered = (doc.get("delivery") or {}).get("date")
            end = dt.date.fromisoformat(delivered) if delivered else min(
                TODAY, shift_days(hpht, limit))
            as_then = {**{k: v for k, v in doc.items() if k != "delivery"}, "status": "ongoing"}
            others = [d for d in record.history if d.get("type") != "pregnancy"]
            items = {item["code"]: item for item in due_list(
                CFG, person=record.person, history=[*others, as_then],
                date=end.isoformat())["items"] if item["kind"] == "anc"}

            def done(code: str, items: dict = items) -> dt.date | None:
                item = items.get(code)
                return dt.date.fromisoformat(item["done_on"]) \
                    if item and item["status"] == "done" else None

            mine = {code: [row["date"] for row in record.events.get(code, [])
                           if row["ref_id"] == doc["_id"]]
                    for code in ("anc_k1", "anc_k1_murni", "anc_k4")}
            k1 = done("K1")
            assert mine["anc_k1"] == ([k1] if k1 else []), doc["_id"]
            murni = k1 is not None and items["K1"].get("timing") == "ideal"
            assert mine["anc_k1_murni"] == ([k1] if murni else []), doc["_id"]
            reached = murni and done("K3") and done("K5")
            assert mine["anc_k4"] == ([max(k1, done("K3"), done("K5"))] if reached else []), \
                doc["_id"]
            compared += 1
            k4 += bool(reached)
    assert compared > 30 and k4 > 5
