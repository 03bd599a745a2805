"""The reminder scheduler (docs/push.md, "Rules"): every rule of config/ilp/reminders.json,
family by family (backend/reminders/registry.py), for every household with a live consent and
a family subscription and every staff device, turned into outbox rows.

Each row's key is rule | subscription | subject | window, so running the scheduler again (each
worker tick, or two workers at once) queues nothing twice (`outbox.enqueue`). A row may be sent
from its reminder day's window opening in TIMEZONE (`not_before`; computed at 22:00 WIB it
waits until PUSH_WINDOW_START) and expires when it stops being true (`expires_at`: the window's
close on its last valid day). A family row still queued that this run no longer finds — the
item was done meanwhile, the household's consent was revoked — is dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context

from backend import clock
from backend.clinical.config import default_config
from backend.clinical_config import ilp_config
from backend.push import outbox, payload
from backend.push.tables import push_outbox
from backend.reminders import posyandu, registry
from backend.reminders.context import Context
from backend.reminders.model import Reminder

DEFAULT_WINDOW = ("07:00", "20:00")
NO_LONGER = "no longer due (done, consent revoked or no longer subscribed)"


def settings() -> tuple[dict, tuple[str, str], ZoneInfo]:
    """The clinical knowledge, sending window and time zone of this installation."""
    if not has_app_context():
        return default_config(), DEFAULT_WINDOW, clock.zone()
    cfg = current_app.config
    return (ilp_config(), (cfg.get("PUSH_WINDOW_START", DEFAULT_WINDOW[0]),
                           cfg.get("PUSH_WINDOW_END", DEFAULT_WINDOW[1])), clock.zone())


def context(conn: sa.Connection, now: dt.datetime, **overrides) -> Context:
    """The run's reads. `only_household` (upcoming()): one household, every item of its
    members; otherwise full due lists only where a Posyandu reminder may go out today."""
    config, window, zone = settings()
    ctx = Context(conn=conn, config=overrides.get("config") or config, now=now,
                  zone=overrides.get("zone") or zone, window=overrides.get("window") or window,
                  only_household=overrides.get("only_household"))
    if not ctx.only_household:
        ctx.full_households = posyandu.households_today(ctx, [
            rule for rule in ctx.config["reminders"]["rules"] if rule["family"] == "posyandu"])
    return ctx


def topic(rule: dict, subject: str) -> str:
    """RFC 8030 Topic (at most 32 base64url characters): the rule's topic and a hash of what
    the reminder is about, so repeats of one reminder collapse and others do not."""
    digest = hashlib.sha256(subject.encode()).hexdigest()
    return f"{rule['topic']}-{digest[:31 - len(rule['topic'])]}"


def key(reminder: Reminder, sub_id: str) -> str:
    return f"{reminder.rule['code']}|{sub_id}|{reminder.subject}|{reminder.window}"


def rows_for(ctx: Context, reminder: Reminder, subscriptions: list[str]) -> list[dict]:
    """The outbox rows of one reminder, one per subscription of its recipient; none when it
    can no longer be sent inside a window before it stops being true."""
    start, end = ctx.window
    earliest = outbox.not_before(ctx.now, reminder.remind_on, start, end, ctx.zone)
    expires = outbox.window_bounds(reminder.last_day, start, end, ctx.zone)[1]
    if earliest >= expires or not subscriptions:
        return []
    rule = reminder.rule
    tag = topic(rule, reminder.topic_subject or reminder.subject)
    body = payload.from_template(rule["text"], reminder.values, url=reminder.url, tag=tag)
    kind = "family" if rule["audience"] == "household" else "staff"
    return [{"key": key(reminder, sub_id), "subscription_id": sub_id, "kind": kind,
             "household_id": reminder.household_id, "username": reminder.username,
             "rule": rule["code"], "payload": body, "topic": tag,
             "ttl": rule["ttl_seconds"], "urgency": rule["urgency"],
             "not_before": outbox.iso(earliest), "expires_at": outbox.iso(expires)}
            for sub_id in subscriptions]


def collect(ctx: Context) -> tuple[list[dict], Counter]:
    """Every outbox row the rules want now, and how many reminders each rule found."""
    rows: list[dict] = []
    found: Counter = Counter()
    for rule, family in registry.rules(ctx.config):
        for reminder in family(ctx, rule):
            found[rule["code"]] += 1
            subs = (ctx.family_subscriptions.get(reminder.household_id, [])
                    if rule["audience"] == "household"
                    else ctx.staff_subscriptions.get(reminder.username, []))
            rows += rows_for(ctx, reminder, subs)
    return rows, found


def _drop_stale(conn: sa.Connection, config: dict, wanted: set[str], now: dt.datetime) -> int:
    """Drop queued family rows this run did not find again (rows past their window are
    expired first: they were true until then)."""
    outbox.expire(conn, now)
    codes = [r["code"] for r in config["reminders"]["rules"] if r["audience"] == "household"]
    queued = conn.execute(sa.select(push_outbox.c.id, push_outbox.c.key).where(
        push_outbox.c.status == "queued", push_outbox.c.kind == "family",
        push_outbox.c.rule.in_(codes))).all()
    stale = [row.id for row in queued if row.key not in wanted]
    return outbox.drop(conn, stale, NO_LONGER) if stale else 0


def schedule(conn: sa.Connection, now: dt.datetime | None = None, **overrides) -> dict:
    """Queue every reminder due at `now` (aware; default the clock's) into the outbox. Counts:
    households and persons evaluated, staff users, reminders per rule, rows wanted, rows newly
    queued, rows dropped, persons the evaluator could not read, seconds taken (wall clock and
    this process's CPU).
    `overrides`: config, window ("07:00", "20:00"), zone — for tests and the bench."""
    began, cpu = time.perf_counter(), time.process_time()
    now = now or clock.utc_now()
    ctx = context(conn, now, **overrides)
    rows, found = collect(ctx)
    queued = outbox.enqueue(conn, rows, now=now)
    dropped = _drop_stale(conn, ctx.config, {row["key"] for row in rows}, now)
    return {"households": len(ctx.family_subscriptions),
            "persons": sum(len(group) for group in ctx.members.values()),
            "staff": len(ctx.staff_subscriptions), "reminders": dict(found),
            "rows": len(rows), "queued": queued, "dropped": dropped,
            "problems": len(ctx.problems), "seconds": round(time.perf_counter() - began, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3)}
