"""The reminder scheduler (docs/push.md, "Rules"): every rule of config/ilp/reminders.json,
family by family (backend/reminders/registry.py), for every household with a live consent and
a family subscription and every staff device, turned into outbox rows.

Each row's key is rule | subscription | subject | window, so running the scheduler again (each
worker tick, or two workers at once) queues nothing twice (`outbox.enqueue`). A row may be sent
from its reminder day's window opening in TIMEZONE (`not_before`; computed at 22:00 WIB it
waits until PUSH_WINDOW_START) and expires when it stops being true (`expires_at`: the window's
close on its last valid day). A family row still queued that this run no longer finds — the
item was done meanwhile, the household's consent was revoked — is dropped; a queued staff
digest whose count changed is rebuilt, one whose count fell to zero dropped.

The worker's run (`run`) evaluates in a read transaction (`plan`: no write lock, so on SQLite
the tablets keep writing) and writes in one short write transaction (`apply`, which re-reads
the recipients first); `schedule(conn, now)` does both in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context

from backend import clock
from backend.clinical.config import default_config
from backend.clinical_config import ilp_config
from backend.db import read_transaction, write_transaction
from backend.push import outbox, payload
from backend.push.tables import push_outbox
from backend.reminders import due_items, posyandu, registry
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
            if rule["audience"] != "household":
                found[rule["code"]] += 1
                rows += rows_for(ctx, reminder, ctx.staff_subscriptions.get(reminder.username, []))
                continue
            # Each subscription of the household; a catch-up only to those made since its day.
            owns = [(sub, due_items.for_subscription(reminder, ctx.subscribed_on.get(sub),
                                                     ctx.today))
                    for sub in ctx.family_subscriptions.get(reminder.household_id, [])]
            if "catch_up_until" not in reminder.extra or any(own for _, own in owns):
                found[rule["code"]] += 1
            for sub, own in owns:
                if own is not None:
                    rows += rows_for(ctx, own, [sub])
    return rows, found


@dataclass
class Plan:
    """What one evaluation found, made without the write lock (`plan`): the rows wanted, and
    which staff digests it re-checked (rule code -> digest days)."""

    now: dt.datetime
    config: dict
    window: tuple[str, str]
    zone: ZoneInfo
    rows: list[dict]
    found: Counter
    households: int
    persons: int
    staff: int
    problems: int
    digests: dict[str, set[str]]
    began: float
    cpu: float


def plan(conn: sa.Connection, now: dt.datetime | None = None, **overrides) -> Plan:
    """Evaluate every rule at `now` (aware; default the clock's): reads only, so the worker
    runs it in a read transaction while tablets keep writing (docs/push.md, "Operations")."""
    began, cpu = time.perf_counter(), time.process_time()
    now = now or clock.utc_now()
    ctx = context(conn, now, **overrides)
    rows, found = collect(ctx)
    return Plan(now=now, config=ctx.config, window=ctx.window, zone=ctx.zone, rows=rows,
                found=found, households=len(ctx.family_subscriptions),
                persons=sum(len(group) for group in ctx.members.values()),
                staff=len(ctx.staff_subscriptions), problems=len(ctx.problems),
                digests={code: set(days) for code, days in ctx.digests.items()},
                began=began, cpu=cpu)


def _still_live(conn: sa.Connection, found: Plan, rows: list[dict]) -> list[dict]:
    """`rows` whose subscription still receives them now, inside the write transaction: a
    consent revoked, a device unsubscribed or a user deactivated while the plan was being made
    queues nothing (the recipients' few queries, not the evaluation, run under the lock)."""
    fresh = Context(conn=conn, config=found.config, now=found.now, zone=found.zone,
                    window=found.window)
    live = {sub for subs in fresh.family_subscriptions.values() for sub in subs}
    live |= {sub for subs in fresh.staff_subscriptions.values() for sub in subs}
    return [row for row in rows if row["subscription_id"] in live]


def _drop_stale(conn: sa.Connection, found: Plan, wanted: dict[str, dict]) -> int:
    """Drop queued family rows this run did not find again, and queued staff digests of a day
    it re-checked that it no longer wants (their count fell to zero: the tasks were done);
    rows past their window are expired first (they were true until then)."""
    outbox.expire(conn, found.now)
    rules = found.config["reminders"]["rules"]
    family = [r["code"] for r in rules if r["audience"] == "household"]
    c = push_outbox.c
    queued = conn.execute(sa.select(c.id, c.key, c.kind, c.rule).where(
        c.status == "queued", c.rule.in_(family + list(found.digests)))).all()
    stale = [row.id for row in queued if row.key not in wanted and (
        row.kind == "family" or (row.kind == "staff" and row.rule in found.digests
                                 and row.key.rsplit("|", 1)[-1] in found.digests[row.rule]))]
    return outbox.drop(conn, stale, NO_LONGER) if stale else 0


def apply(conn: sa.Connection, found: Plan) -> dict:
    """Write what `plan` found, in the caller's (short) write transaction: queue the new rows
    (the key skips what is there), rebuild queued staff digests whose count changed, drop
    what is no longer wanted. The counts of `schedule`, with `write_seconds` (this part)."""
    began = time.perf_counter()
    rows = _still_live(conn, found, found.rows)
    wanted = {row["key"]: row for row in rows}
    queued = outbox.enqueue(conn, rows, now=found.now)
    rebuilt = outbox.refresh(conn, [row for row in rows if row["kind"] == "staff"])
    dropped = _drop_stale(conn, found, wanted)
    end = time.perf_counter()
    return {"households": found.households, "persons": found.persons, "staff": found.staff,
            "reminders": dict(found.found), "rows": len(rows), "queued": queued,
            "rebuilt": rebuilt, "dropped": dropped, "problems": found.problems,
            "seconds": round(end - found.began, 3),
            "cpu_seconds": round(time.process_time() - found.cpu, 3),
            "write_seconds": round(end - began, 3)}


def schedule(conn: sa.Connection, now: dt.datetime | None = None, **overrides) -> dict:
    """Queue every reminder due at `now` (aware; default the clock's) into the outbox, in the
    one transaction `conn` (the evaluation and the writes; the worker splits them: `run`).
    Counts: households and persons evaluated, staff users, reminders per rule, rows wanted,
    rows newly queued, staff digests rebuilt, rows dropped, persons the evaluator could not
    read, seconds taken (wall clock, this process's CPU, and the writing part).
    `overrides`: config, window ("07:00", "20:00"), zone — for tests and the bench."""
    return apply(conn, plan(conn, now, **overrides))


def run(now: dt.datetime | None = None, bind: sa.Engine | None = None, **overrides) -> dict:
    """The worker's run: evaluate in a read transaction (no write lock: on SQLite tablets keep
    writing meanwhile), then write the rows in one short write transaction."""
    with read_transaction(bind) as conn:
        found = plan(conn, now, **overrides)
    with write_transaction(bind) as conn:
        return apply(conn, found)
