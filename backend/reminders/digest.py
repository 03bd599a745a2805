"""The staff digest's day: one message per user per day, sent when the sending window opens,
about what arrived in the 24 hours before it opened ("5 tugas baru"), never one notification
per task (Community Health Toolkit users asked for a summary)."""

from __future__ import annotations

import datetime as dt

from backend.push.outbox import window_bounds
from backend.reminders.context import Context


def period(ctx: Context, rule: dict) -> tuple[dt.datetime, dt.datetime] | None:
    """The 24 hours today's digest covers (aware), or None while today's window is closed (the
    digest is made only while it can be sent the same day). While it is open the run
    re-checks today's digests of `rule` (`ctx.digests`): one queued but no longer wanted is
    dropped, one whose count changed is rebuilt."""
    start, end = ctx.window
    opens, closes = window_bounds(ctx.today, start, end, ctx.zone)
    if not opens <= ctx.now < closes:
        return None
    ctx.digests.setdefault(rule["code"], set()).add(ctx.today.isoformat())
    return window_bounds(ctx.today - dt.timedelta(days=1), start, end, ctx.zone)[0], opens


def parse(text: str | None) -> dt.datetime | None:
    """An ISO timestamp from a document (with its offset; `Z` or none read as UTC)."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
