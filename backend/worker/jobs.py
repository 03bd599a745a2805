"""The worker's jobs, in the order a tick runs them: each a name, how often it is due, and a
function `(app, now) -> dict` of counts for the log line.

The reminder scheduler runs before the sender, so a reminder queued in a tick can leave in the
same tick. Every job is safe to run twice or on two workers at once (the outbox's idempotency
key, `FOR UPDATE SKIP LOCKED`, merges that are no-ops the second time): a late or repeated
run costs time, never a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from flask import Flask

from backend.db import write_transaction
from backend.push import outbox, sender
from backend.reminders import scheduler
from backend.sync import conflicts, upstream

# Reminders are about days (due this week, Posyandu tomorrow) and a sending window of hours;
# a new subscription, consent or follow-up task finds its reminder within ten minutes, while a
# scan of every household (targeted at < 10 s for 6,000 persons, bench/push.py) stays a small
# share of the worker's time. It also runs at every start, so a restarted worker catches up at once.
REMINDERS_SECONDS = 10 * 60
# Retention is counted in days (PUSH_OUTBOX_RETENTION_DAYS): pruning once a day is enough.
PRUNE_SECONDS = 24 * 60 * 60
# Conflicts are normally merged in the request that replicated them
# (RESOLVE_CONFLICTS_ON_WRITE); this job only picks up what was left open (the setting off, a
# merge that failed, an upstream pull), so a few minutes' delay is harmless.
CONFLICTS_SECONDS = 5 * 60

Run = Callable[[Flask, dt.datetime], dict]


@dataclass(frozen=True)
class Job:
    name: str
    interval: Callable[[Mapping], float]   # seconds between starts (0: every tick), from config
    run: Run
    at_start: bool = False                 # also run at the worker's first tick, however recent
    enabled: Callable[[Mapping], bool] = lambda _config: True


def _reminders(_app: Flask, now: dt.datetime) -> dict:
    # Evaluated in a read transaction, written in one short write transaction: SQLite's write
    # lock is held for the writing only (docs/push.md, "Operations").
    return scheduler.run(now)


def _push(app: Flask, now: dt.datetime) -> dict:
    return sender.send_due(app, now)


def _prune(app: Flask, now: dt.datetime) -> dict:
    with write_transaction() as conn:
        return {"pruned": outbox.prune(conn, now, app.config["PUSH_OUTBOX_RETENTION_DAYS"])}


def _conflicts(_app: Flask, _now: dt.datetime) -> dict:
    return {"merged": len(conflicts.resolve_pending())}


class UpstreamUnreachable(Exception):
    """The hub did not answer; the message names it without the credentials in its URL."""


def _upstream(app: Flask, _now: dt.datetime) -> dict:
    url = app.config["UPSTREAM_URL"]
    try:
        remote = upstream.connect(url)
    except Exception as exc:  # the couchdb package raises socket and HTTP errors alike
        raise UpstreamUnreachable(f"{upstream.public_url(url)}: {exc}") from None
    pulled, pushed = upstream.pull(remote), upstream.push(remote)
    return {"pulled": pulled.docs_written, "pushed": pushed.docs_written,
            "refused": len(pulled.failures) + len(pushed.failures)}


JOBS: tuple[Job, ...] = (
    Job("reminders", lambda _c: REMINDERS_SECONDS, _reminders, at_start=True),
    Job("push", lambda _c: 0, _push),
    Job("prune", lambda _c: PRUNE_SECONDS, _prune),
    Job("conflicts", lambda _c: CONFLICTS_SECONDS, _conflicts),
    Job("upstream", lambda c: 60 * c["UPSTREAM_SYNC_MINUTES"], _upstream,
        enabled=lambda c: bool(c.get("UPSTREAM_URL"))),
)
NAMES = tuple(job.name for job in JOBS)


class UnknownJob(ValueError):
    pass


def check(app: Flask, selected: Iterable[Job]) -> None:
    """Fail at the worker's start, not at every tick, when a selected job cannot work: the
    sender needs VAPID settings that can sign (VapidConfigError says which to fix)."""
    if any(job.name == "push" for job in selected):
        sender.check(app)


def registry(config: Mapping, only: Iterable[str] = ()) -> list[Job]:
    """The jobs this instance runs (upstream only with UPSTREAM_URL), limited to `only`."""
    only = set(only)
    if only - set(NAMES):
        raise UnknownJob(f"unknown job {', '.join(sorted(only - set(NAMES)))}; "
                         f"the jobs are {', '.join(NAMES)}")
    enabled = [job for job in JOBS if job.enabled(config)]
    if only - {job.name for job in enabled}:
        raise UnknownJob(f"job {', '.join(sorted(only - {j.name for j in enabled}))} is off "
                         f"on this instance (upstream needs UPSTREAM_URL)")
    return [job for job in enabled if not only or job.name in only]
