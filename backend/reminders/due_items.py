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
from dataclasses import replace

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
                passed, sending = None, False
                for offset in rule["offsets_days"]:
                    remind_on = day + dt.timedelta(days=offset)
                    last = min(remind_on + dt.timedelta(days=rule["send_within_days"] - 1), end)
                    if remind_on <= today <= last:
                        sending = True
                        yield _reminder(rule, member, household, day, offset, remind_on, last,
                                        end)
                    elif last < today and (passed is None or remind_on > passed[1]):
                        passed = (offset, remind_on)
                if passed is not None and not sending and today <= end < FAR:
                    yield catch_up(_reminder(rule, member, household, day, passed[0],
                                             passed[1], today, end), end)


def catch_up(reminder: Reminder, end: dt.date) -> Reminder:
    """The reminder of an item still true whose sending days have passed, for a subscription
    made since its remind date (a dose already due when the family subscribed; only for an item
    with an end — an open-ended one such as Td for a woman of childbearing age is a standing
    recommendation reminded when it first fell due, not a date missed): the scheduler
    addresses it only to those (`for_subscription`), under the missed reminder's own key, so
    each gets it once, within `send_within_days` of subscribing."""
    return replace(reminder, extra={"catch_up_until": end})


def for_subscription(reminder: Reminder, subscribed_on: dt.date | None, today: dt.date
                     ) -> Reminder | None:
    """`reminder` as it goes to a subscription made on local `subscribed_on`: itself, or for a
    catch-up the same reminder sent from that day for the rule's `send_within_days` (never
    after the item stops being true); None when it is not this subscription's to catch up."""
    end = reminder.extra.get("catch_up_until")
    if end is None:
        return reminder
    if subscribed_on is None or subscribed_on < reminder.remind_on:
        return None
    last = min(subscribed_on + dt.timedelta(days=reminder.rule["send_within_days"] - 1), end)
    if today > last:
        return None
    return replace(reminder, remind_on=subscribed_on, last_day=last)


def _reminder(rule, member, household, day, offset, remind_on, last, end) -> Reminder:
    values = {"nama": first_name(member.name), "tanggal": tanggal(day),
              "batas": tanggal(end) if end != FAR else tanggal(day)}
    return Reminder(rule=rule, subject=member.id, window=f"{day.isoformat()}{offset:+d}",
                    remind_on=remind_on, last_day=last, values=values, url=FAMILY_URL,
                    household_id=household, topic_subject=f"{member.id}:{day.isoformat()}")
