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

from backend.sync import conflicts, upstream

# Conflicts are normally merged in the request that replicated them
# (RESOLVE_CONFLICTS_ON_WRITE); this job only picks up what was left open (the setting off, a
# merge that failed, an upstream pull), so a few minutes' delay is harmless.
CONFLICTS_SECONDS = 5 * 60

Run = Callable[[Flask, dt.datetime], dict]


@dataclass(frozen=True)
class Job:
    name: str
    interval: Callable[[Mapping], float]   # seconds between starts, from the app's config;
    run: Run                               # 0: every tick
    at_start: bool = False                 # also run at the worker's first tick, however recent
    enabled: Callable[[Mapping], bool] = lambda _config: True


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
    Job("conflicts", lambda _c: CONFLICTS_SECONDS, _conflicts),
    Job("upstream", lambda c: 60 * c["UPSTREAM_SYNC_MINUTES"], _upstream,
        enabled=lambda c: bool(c.get("UPSTREAM_URL"))),
)
NAMES = tuple(job.name for job in JOBS)


class UnknownJob(ValueError):
    pass


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
