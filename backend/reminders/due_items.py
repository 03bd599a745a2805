"""Reminders that follow due-list items (immunization due and overdue, ANC, KN, KF, vitamin A,
monthly control): the dates are the clinical evaluator's (`due_list`), never a second copy of
a schedule. A rule's `follows` picks items by kind or code and status; its `anchor` is the
item's `due_from` (the first day it is due) or `late_from` (the day after its ideal window
ended: when it turned overdue); each offset of `offsets_days` is one reminder, sent from
anchor + offset for `send_within_days`, never after the item stops being true (`due_until`
for what is due, `kejar_until` for what is overdue)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from backend.push.payload import FAMILY_URL, first_name, tanggal
from backend.reminders.context import Context
from backend.reminders.model import Reminder

FAR = dt.date.max


def matches(rule: dict, item: dict) -> bool:
    follows = rule["follows"]
    if item["status"] not in follows["statuses"]:
        return False
    return item["kind"] in follows.get("kinds", ()) or item["code"] in follows.get("codes", ())


def anchor(rule: dict, item: dict) -> dt.date | None:
    """The date the rule's offsets count from, for `item`."""
    if rule["anchor"] == "late_from":
        until = item.get("due_until")
        return dt.date.fromisoformat(until) + dt.timedelta(days=1) if until else None
    start = item.get("due_from")
    return dt.date.fromisoformat(start) if start else None


def item_end(item: dict) -> dt.date:
    """The last day a reminder about `item` is true."""
    end = item.get("kejar_until") if item["status"] == "overdue" else item.get("due_until")
    return dt.date.fromisoformat(end) if end else FAR


def groups(rule: dict, due: dict) -> dict[dt.date, list[dict]]:
    """The person's items this rule follows, by anchor date: one message per person and date
    (three doses due the same day are one reminder)."""
    out: dict[dt.date, list[dict]] = defaultdict(list)
    for item in due.get("items", []):
        if matches(rule, item):
            day = anchor(rule, item)
            if day is not None:
                out[day].append(item)
    return dict(out)


def reminders(ctx: Context, rule: dict) -> Iterator[Reminder]:
    today = ctx.today
    for household, members in ctx.members.items():
        for member in members:
            due = ctx.due.get(member.id)
            if due is None:
                continue
            for day, items in groups(rule, due).items():
                end = min(item_end(item) for item in items)
                for offset in rule["offsets_days"]:
                    remind_on = day + dt.timedelta(days=offset)
                    last = min(remind_on + dt.timedelta(days=rule["send_within_days"] - 1), end)
                    if remind_on <= today <= last:
                        yield _reminder(rule, member, household, day, offset, remind_on, last,
                                        end)


def _reminder(rule, member, household, day, offset, remind_on, last, end) -> Reminder:
    values = {"nama": first_name(member.name), "tanggal": tanggal(day),
              "batas": tanggal(end) if end != FAR else tanggal(day)}
    return Reminder(rule=rule, subject=member.id, window=f"{day.isoformat()}{offset:+d}",
                    remind_on=remind_on, last_day=last, values=values, url=FAMILY_URL,
                    household_id=household, topic_subject=f"{member.id}:{day.isoformat()}")
