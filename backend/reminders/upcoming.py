"""What the family page shows (docs/push.md, "Family subscription and consent"): the
household's coming reminders by first name, kind and date — the same rules and due lists the
scheduler uses, never a diagnosis, NIK or result."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend import clock
from backend.push.payload import first_name
from backend.reminders import due_items, posyandu
from backend.reminders.scheduler import context


def upcoming(conn: sa.Connection, household_id: str, on: dt.date) -> list[dict]:
    """`[{first_name, kind, date, remind_on, rule}]` ordered by date: each due-list reminder
    of the household's members whose sending has not passed on `on` (its due date and the
    next day a reminder goes out), and the next Posyandu day when someone is awaited."""
    ctx = context(conn, dt.datetime.combine(on, dt.time(12), clock.zone()),
                  only_household=household_id)
    out: list[dict] = []
    for rule in ctx.config["reminders"]["rules"]:
        if rule["family"] == "due_items":
            out += _items(ctx, rule, household_id, on)
        elif rule["family"] == "posyandu":
            out += _posyandu(ctx, rule, household_id, on)
    return sorted(out, key=lambda e: (e["date"], e["remind_on"], e["first_name"], e["rule"]))


def _items(ctx, rule: dict, household_id: str, on: dt.date) -> list[dict]:
    out = []
    for member in ctx.members.get(household_id, []):
        due = ctx.due.get(member.id)
        if due is None:
            continue
        for day, items in due_items.groups(rule, due).items():
            end = min(due_items.item_end(item) for item in items)
            coming = [day + dt.timedelta(days=o) for o in rule["offsets_days"]]
            coming = [r for r in coming if min(
                r + dt.timedelta(days=rule["send_within_days"] - 1), end) >= on]
            if coming:
                out.append({"first_name": first_name(member.name), "kind": rule["label"],
                            "date": day.isoformat(),
                            "remind_on": max(min(coming), on).isoformat(),
                            "rule": rule["code"]})
    return out


def _posyandu(ctx, rule: dict, household_id: str, on: dt.date) -> list[dict]:
    place = ctx.posyandu_of.get(household_id)
    if place is None:
        return []
    session = posyandu.next_session(place[1], on)
    names = posyandu.awaited(ctx, rule, household_id)
    if not names:
        return []
    remind_on = max(session + dt.timedelta(days=min(rule["offsets_days"])), on)
    return [{"first_name": posyandu.names_text(names), "kind": rule["label"],
             "date": session.isoformat(), "remind_on": remind_on.isoformat(),
             "rule": rule["code"]}]
