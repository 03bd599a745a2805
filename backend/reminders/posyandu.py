"""The household's Posyandu day: the day before it opens (its `schedule_day` each month), to
households where someone has an item the rule follows (due or overdue). The message names who
is awaited by first name only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backend.push.payload import FAMILY_URL, first_name, tanggal
from backend.reminders.context import Context
from backend.reminders.due_items import matches
from backend.reminders.model import Reminder

MAX_NAMES = 3


def next_session(day_of_month: int, on: dt.date) -> dt.date:
    """The first Posyandu day (the `day_of_month`, 1-28) on or after `on`."""
    session = on.replace(day=day_of_month)
    if session >= on:
        return session
    following = (on.replace(day=1) + dt.timedelta(days=32)).replace(day=day_of_month)
    return following


def awaited(ctx: Context, rule: dict, household: str) -> list[str]:
    """First names of the members with an item the rule follows."""
    names = []
    for member in ctx.members.get(household, []):
        due = ctx.due.get(member.id)
        if due and any(matches(rule, item) for item in due.get("items", [])):
            names.append(first_name(member.name))
    return [name for name in names if name]


def names_text(names: list[str]) -> str:
    """"Budi", "Budi dan Sari", "Budi, Sari dan Tono", "Budi, Sari, Tono dan 2 lainnya"."""
    if len(names) > MAX_NAMES:
        return f"{', '.join(names[:MAX_NAMES])} dan {len(names) - MAX_NAMES} lainnya"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} dan {names[-1]}"
    return names[0] if names else ""


def sessions_today(ctx: Context, rule: dict, household: str
                   ) -> Iterator[tuple[int, dt.date, dt.date, dt.date]]:
    """(offset, session, remind_on, last day) of each reminder of `rule` about the household's
    Posyandu day that may go out today."""
    place = ctx.posyandu_of.get(household)
    if place is None:
        return
    for offset in rule["offsets_days"]:
        session = next_session(place[1], ctx.today - dt.timedelta(days=offset))
        remind_on = session + dt.timedelta(days=offset)
        last = min(remind_on + dt.timedelta(days=rule["send_within_days"] - 1),
                   session - dt.timedelta(days=1))
        if remind_on <= ctx.today <= last:
            yield offset, session, remind_on, last


def households_today(ctx: Context, rules: list[dict]) -> set[str]:
    """The households a Posyandu rule may remind today (their members need a full due list)."""
    return {household for household in ctx.family_subscriptions for rule in rules
            if any(sessions_today(ctx, rule, household))}


def reminders(ctx: Context, rule: dict) -> Iterator[Reminder]:
    for household in ctx.members:
        for _, session, remind_on, last in sessions_today(ctx, rule, household):
            name = ctx.posyandu_of[household][0]
            name = name if name.lower().startswith("posyandu") else f"Posyandu {name}"
            names = awaited(ctx, rule, household)
            if not names:
                continue
            yield Reminder(rule=rule, subject=household, window=session.isoformat(),
                           remind_on=remind_on, last_day=last,
                           values={"nama": names_text(names), "tanggal": tanggal(session),
                                   "posyandu": name, "batas": tanggal(session)},
                           url=FAMILY_URL, household_id=household,
                           topic_subject=f"{household}:{session.isoformat()}")
