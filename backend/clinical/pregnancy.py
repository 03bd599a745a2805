"""Pregnancy dating, ANC contacts K1-K6 and the postnatal visits KF and KN (JS twin:
pregnancy.js). Days count from HPHT, or from the delivery/birth date as day 0."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical import validate
from backend.clinical.dates import parse_date, shift_days
from backend.clinical.errors import ClinicalInputError
from backend.clinical.items import make_item, window_status


def pregnancy_dating(config: dict, *, hpht: str, date: str) -> dict:
    """HPL, gestational age and trimester of a pregnancy on `date`."""
    on = parse_date(date, "date")
    return dating(config, checked_hpht(config, hpht, on, "hpht"), on)


def checked_hpht(config: dict, value: object, on: date, field: str) -> date:
    """HPHT not in the future and not longer ago than any pregnancy lasts."""
    hpht = validate.past_date(value, field, on)
    if (on - hpht).days > config["maternal"]["pregnancy"]["hpht_max_weeks_ago"] * 7:
        raise ClinicalInputError(field, "HPHT lebih dari 45 minggu yang lalu")
    return hpht


def dating(config: dict, hpht: date, on: date) -> dict:
    rules = config["maternal"]["pregnancy"]
    days = (on - hpht).days
    return {"hpht": hpht.isoformat(),
            "hpl": shift_days(hpht, rules["hpl_days_after_hpht"]).isoformat(),
            "gestational_age": {"weeks": days // 7, "days": days % 7, "total_days": days},
            "trimester": trimester(config, days)}


def trimester(config: dict, days: int) -> int:
    starts = config["maternal"]["pregnancy"]["trimester_start_day"]
    return max(int(t) for t, start in starts.items() if days >= start)


def hpht_of(config: dict, doc: dict) -> object:
    """The recorded HPHT, else HPL - 280 days when only the HPL was written down."""
    if doc.get("hpht") or not doc.get("hpl"):
        return doc.get("hpht")
    hpl = parse_date(doc["hpl"], "pregnancy.hpl")
    return shift_days(hpl, -config["maternal"]["pregnancy"]["hpl_days_after_hpht"]).isoformat()


def current_pregnancy(config: dict, docs: list[dict], on: date) -> tuple[dict, date | None] | None:
    """The latest ongoing pregnancy begun by `on`, with its checked HPHT (None if unknown)."""
    ongoing = []
    for doc in docs:
        if doc.get("status") != "ongoing":
            continue
        raw = hpht_of(config, doc)
        hpht = None if raw is None else checked_hpht(config, raw, on, "pregnancy.hpht")
        ongoing.append((doc, hpht))
    ongoing.sort(key=lambda pair: pair[1] or date.min)
    return ongoing[-1] if ongoing else None


def recent_delivery(config: dict, docs: list[dict], on: date) -> tuple[dict, date] | None:
    """The latest delivery within the nifas period (0-42 days) before `on`."""
    limit = config["lifestages"]["flags"]["nifas"]["days_after_delivery"]
    found = []
    for doc in docs:
        delivered = (doc.get("delivery") or {}).get("date")
        if delivered:
            when = parse_date(delivered, "pregnancy.delivery.date")
            if 0 <= (on - when).days <= limit:
                found.append((doc, when))
    return max(found, key=lambda pair: pair[1]) if found else None


def trimester_window(config: dict, hpht: date, number: int) -> tuple[date, date]:
    """First and last day (inclusive) of a trimester; trimester 3 ends at 42 weeks."""
    starts = config["maternal"]["pregnancy"]["trimester_start_day"]
    end_day = starts[str(number + 1)] - 1 if str(number + 1) in starts \
        else config["maternal"]["anc"]["trimester_3_until_day"]
    return shift_days(hpht, starts[str(number)]), shift_days(hpht, end_day)


def anc_contacts(config: dict, doc: dict, hpht: date, encs: list[dict]) -> list[dict]:
    """ANC contacts of this pregnancy: {date, trimester, doctor}."""
    rules = config["maternal"]["anc"]
    contacts = []
    for enc in encs:
        own = bool(doc.get("_id")) and enc.get("pregnancy") == doc["_id"]
        linked = own or hist.has_service(enc, rules["service_codes"])
        if linked and enc["_date"] >= hpht:
            contacts.append({"date": enc["_date"],
                             "trimester": trimester(config, (enc["_date"] - hpht).days),
                             "doctor": hist.has_service(enc, rules["doctor_service_codes"])})
    return contacts


def assign_contacts(config: dict, contacts: list[dict]) -> dict:
    """K1 is the first contact whatever the trimester; later contacts fill the first free
    slot of their own trimester (a third T1 contact counts toward no slot)."""
    slots = config["maternal"]["anc"]["contacts"]
    filled: dict = {}
    for contact in contacts:
        if not filled:
            filled[slots[0]["code"]] = contact
            continue
        free = next((s["code"] for s in slots[1:] if s["trimester"] == contact["trimester"]
                     and s["code"] not in filled), None)
        if free:
            filled[free] = contact
    return filled


def anc_minimum(config: dict) -> tuple[dict[int, int], dict[int, int]]:
    """The ANC standard of maternal.json `anc.contacts` as counts: contacts per trimester
    (2-1-3) and contacts by a doctor per trimester (1 in T1, 1 in T3), Permenkes 21/2021
    Pasal 14."""
    contacts: dict[int, int] = {}
    doctor: dict[int, int] = {}
    for slot in config["maternal"]["anc"]["contacts"]:
        contacts[slot["trimester"]] = contacts.get(slot["trimester"], 0) + 1
        if slot["doctor"]:
            doctor[slot["trimester"]] = doctor.get(slot["trimester"], 0) + 1
    return contacts, doctor


def contacts_reached(contacts: list[dict], per_trimester: dict[int, int],
                     doctor_per_trimester: dict[int, int] | None = None) -> date | None:
    """The date on which `contacts` (anc_contacts, oldest first) first hold at least
    `per_trimester[t]` contacts in each trimester t, `doctor_per_trimester[t]` of them by a
    doctor; None if never. K4 (1-1-2, Pedoman PWS-KIA 2010) and K6 (anc_minimum) are both
    this question with different counts: PWS counts the day a mother completes them."""
    doctor_per_trimester = doctor_per_trimester or {}
    seen: dict[int, int] = {}
    by_doctor: dict[int, int] = {}
    for contact in sorted(contacts, key=lambda c: c["date"]):
        seen[contact["trimester"]] = seen.get(contact["trimester"], 0) + 1
        if contact["doctor"]:
            by_doctor[contact["trimester"]] = by_doctor.get(contact["trimester"], 0) + 1
        if all(seen.get(t, 0) >= n for t, n in per_trimester.items()) and all(
                by_doctor.get(t, 0) >= n for t, n in doctor_per_trimester.items()):
            return contact["date"]
    return None


def anc_items(config: dict, doc: dict, hpht: date, encs: list[dict], on: date,
              lookahead: int) -> list[dict]:
    rules = config["maternal"]["anc"]
    filled = assign_contacts(config, anc_contacts(config, doc, hpht, encs))
    kejar_until = shift_days(hpht, rules["trimester_3_until_day"])
    items = []
    for slot in rules["contacts"]:
        start, end = trimester_window(config, hpht, slot["trimester"])
        contact = filled.get(slot["code"])
        extra: dict = {"requires_doctor": slot["doctor"]}
        if contact:
            status = "done"
            extra.update(done_on=contact["date"], by_doctor=contact["doctor"])
        else:
            status = window_status(on, start, end, lookahead)
        if status is None:
            continue
        if slot is rules["contacts"][0]:
            extra["timing"] = _k1_timing(contact, on, end)
            if status == "missed" and rules["k1_catch_up"]:
                status = "overdue"
                extra["kejar_until"] = kejar_until
        items.append(make_item(slot["code"], "anc", slot["label"], status, rules["source"],
                               due_from=start, due_until=end, **extra))
    return items


def _k1_timing(contact: dict | None, on: date, end: date) -> str:
    """K1 in trimester 1 is 'murni' (ideal); any later first contact is 'akses' (kejar)."""
    if contact:
        return "ideal" if contact["trimester"] == 1 else "kejar"
    return "ideal" if on <= end else "kejar"


def visit_items(config: dict, kind: str, start: date, encs: list[dict], on: date,
                lookahead: int) -> list[dict]:
    """KF (mother, from delivery) or KN (baby, from birth) visits by their day windows."""
    rules = config["maternal"][kind]
    visits = [enc["_date"] for enc in encs
              if hist.has_service(enc, rules["service_codes"]) and enc["_date"] >= start]
    items = []
    for visit in rules["visits"]:
        first, last = shift_days(start, visit["from_day"]), shift_days(start, visit["until_day"])
        done_on = next((day for day in visits if first <= day <= last), None)
        status = "done" if done_on else window_status(on, first, last, lookahead)
        if status is not None:
            items.append(make_item(visit["code"], kind, visit["label"], status, rules["source"],
                                   due_from=first, due_until=last, done_on=done_on))
    return items


def nifas_vitamin_a_item(config: dict, delivered: date, encs: list[dict], on: date,
                         lookahead: int) -> dict | None:
    rules = config["maternal"]["nifas_vitamin_a"]
    first, last = shift_days(delivered, rules["from_day"]), shift_days(delivered,
                                                                       rules["until_day"])
    done_on = next((enc["_date"] for enc in encs if first <= enc["_date"] <= last
                    and hist.has_service(enc, rules["service_codes"])), None)
    status = "done" if done_on else window_status(on, first, last, lookahead)
    if status is None:
        return None
    return make_item(rules["code"], "vitamin_a", rules["label"], status, rules["source"],
                     due_from=first, due_until=last, done_on=done_on)
