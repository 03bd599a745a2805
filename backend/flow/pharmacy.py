"""The pharmacy (docs/flow.md "Lab and pharmacy"): the prescriptions of an arrival's
encounters and what was handed over. Dispensing is Puskesmas-local flow state
(`flow_dispensings`), not a document; there is no stock management.
"""

from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa

from backend import clock
from backend.auth.users import User
from backend.flow import entries
from backend.flow.desk import Invalid, serve, served_entry
from backend.flow.errors import FlowError
from backend.flow.lab import require_kind
from backend.flow.tables import flow_arrivals, flow_dispensings, flow_queue_entries
from backend.followup.inputs import bodies

PHARMACY = ("pharmacy",)


def _arrival_encounters(conn: sa.Connection, arrival_id: str) -> dict[str, dict]:
    """The live encounters written at the arrival's entries that prescribe something, by id,
    in the order they were written."""
    ids = conn.execute(sa.select(flow_queue_entries.c.encounter_id).where(
        flow_queue_entries.c.arrival_id == arrival_id,
        flow_queue_entries.c.encounter_id.is_not(None)).order_by(flow_queue_entries.c.id)
    ).scalars().all()
    found = bodies(conn, ids)
    return {i: found[i] for i in ids if i in found and found[i].get("prescriptions")}


def _totals(dispensings: list[dict], encounter_id: str) -> Counter:
    """Quantity handed over so far per prescription line of one encounter."""
    total: Counter = Counter()
    for dispensing in dispensings:
        if dispensing["encounter_id"] == encounter_id:
            for item in dispensing["items"]:
                total[item["index"]] += item["quantity"]
    return total


def prescriptions(conn: sa.Connection, user: User, arrival_id: str) -> dict:
    """The arrival's prescriptions, each line with what was dispensed and what remains."""
    arrival = conn.execute(sa.select(flow_arrivals.c.person_id, flow_arrivals.c.desa)
                           .where(flow_arrivals.c.id == arrival_id)).first()
    if arrival is None or not user.sees(arrival.desa):
        raise FlowError(404, "Kedatangan tidak ditemukan.", "no_such_arrival")
    require_kind(conn, user, clock.today().isoformat(), "pharmacy")
    handed = entries.dispensings(conn, arrival_id)
    out = []
    for enc_id, enc in _arrival_encounters(conn, arrival_id).items():
        given = _totals(handed, enc_id)
        out.append({"encounter": enc_id, "date": enc["date"], "cluster": enc.get("cluster"),
                    "provider": enc.get("provider"), "items": [
                        {**line, "index": index, "dispensed": given[index],
                         "remaining": line["quantity"] - given[index]}
                        for index, line in enumerate(enc["prescriptions"])]})
    return {"arrival_id": arrival_id, "person": arrival.person_id, "prescriptions": out,
            "dispensings": handed}


def item_errors(lines: list[dict], given: Counter, items: list[dict]) -> dict:
    """{index in items: {field: [message]}}: a line that does not exist, one named twice, or
    more than the prescription leaves to hand over."""
    errors: dict = {}
    seen: set[int] = set()
    for position, item in enumerate(items):
        index, quantity = item["index"], item["quantity"]
        if not 0 <= index < len(lines):
            errors[position] = {"index": [f"resep ini hanya punya baris 0-{len(lines) - 1}"]}
        elif index in seen:
            errors[position] = {"index": ["baris ini disebut dua kali"]}
        elif quantity > lines[index]["quantity"] - given[index]:
            errors[position] = {"quantity": [
                f"paling banyak {lines[index]['quantity'] - given[index]} lagi dari "
                f"{lines[index]['quantity']} yang diresepkan"]}
        seen.add(index)
    return errors


def dispense(conn: sa.Connection, user: User, entry_id: int, encounter_id: str,
             items: list[dict]) -> dict:
    """Record what the pharmacy handed over, for the arrival its entry `entry_id` belongs to,
    from the prescription of `encounter_id` (an encounter of that arrival)."""
    entry, _ = served_entry(conn, user, entry_id, clock.today().isoformat(), PHARMACY)
    encounter = _arrival_encounters(conn, entry["arrival_id"]).get(encounter_id)
    if encounter is None:
        raise Invalid({"encounter": ["bukan resep kunjungan ini"]})
    given = _totals(entries.dispensings(conn, entry["arrival_id"]), encounter_id)
    errors = item_errors(encounter["prescriptions"], given, items)
    if errors:
        raise Invalid({"items": errors})
    row = {"arrival_id": entry["arrival_id"], "entry_id": entry_id,
           "encounter_id": encounter_id, "dispensed_at": clock.utc_stamp(),
           "dispensed_by": user.username,
           "items": json.dumps([{"index": i["index"], "quantity": i["quantity"],
                                 **({"note": i["note"]} if i.get("note") else {})}
                                for i in items])}
    row["id"] = conn.execute(sa.insert(flow_dispensings).values(**row)).inserted_primary_key[0]
    serve(conn, entry, user)
    return {**row, "items": json.loads(row["items"])}
