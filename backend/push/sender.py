"""The sender: delivers claimed outbox rows to the browsers' push services (docs/push.md,
"Sending"). The only module that imports pywebpush.

Per message: the endpoint is checked again (`subscriptions.check`: DNS may have changed since
it was stored), the JSON payload (B's backend/push/payload.py) must fit the 4 KB a push service
accepts, pywebpush encrypts it (aes128gcm, RFC 8291) and py_vapid signs a fresh set of claims
(backend/push/vapid.py); the POST carries explicit `TTL`, `Urgency` and `Topic` (RFC 8030
§5.2–5.4; pywebpush would send TTL 0 and neither of the others) and follows no redirect.
What the push service answers decides the row:

* 201, 202 → sent (`sent_at`; the subscription's `last_sent_at`);
* 404, 410 → the subscription is deleted, its queued rows dropped;
* 413 → dropped, not retried: the payload must be fixed;
* 429, 5xx, timeout, connection error → retried after `Retry-After` (seconds or an HTTP date)
  or PUSH_RETRY_SECONDS × 2ⁿ; failed after PUSH_MAX_ATTEMPTS tries;
* any other status → failed, with the status.

Nothing is sent outside PUSH_WINDOW_START–END in TIMEZONE (`send_due` returns at once), and a
household gets at most PUSH_HOUSEHOLD_DAILY_CAP messages a local day (backend/push/claim.py).
The fan-out is concurrent: aiohttp, PUSH_CONCURRENCY requests in flight on one connection pool,
encryption between them in the same event loop (bench/push.py measured this against a thread
pool; docs/push.md "Speed").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import math
import re
import socket
import ssl
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import aiohttp
import sqlalchemy as sa
from flask import Flask
from py_vapid import Vapid02
from pywebpush import WebPusher

from backend import clock
from backend.db import write_transaction
from backend.push import claim, outbox, subscriptions, vapid
from backend.push.tables import push_outbox, push_subscriptions

# A push service takes at most 4096 bytes of encrypted body (RFC 8030 §7.2); aes128gcm adds a
# 86-byte header (salt, record size, the 65-byte key id), a 16-byte tag and 1 padding byte.
MAX_BODY = 4096
MAX_PAYLOAD = MAX_BODY - 86 - 16 - 1
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
URGENCIES = {"very-low", "low", "normal", "high"}
BATCH_PER_SLOT = 16         # rows claimed per send slot (PUSH_CONCURRENCY) at a time
LEASE_MARGIN_SECONDS = 60
MAX_RETRY_AFTER = 24 * 3600


@dataclass
class Outcome:
    """What became of one claimed row."""
    row: dict
    result: str                 # sent | gone | dropped | failed | retry
    error: str | None = None
    status: int | None = None
    retry_after: str | None = None


@dataclass
class Run:
    """One send's settings and its VAPID identity, read once."""
    signer: Vapid02
    subject: str
    allow_private: bool
    ca_bundle: str | None
    timeout: float
    concurrency: int
    retry_seconds: float
    max_attempts: int
    encrypt_seconds: float = 0.0        # wall time encrypting and signing (CPU-bound work)
    started: float = field(default_factory=time.perf_counter)
    started_cpu: float = field(default_factory=time.thread_time)
    # Each push service host is looked up once per send, not once per message.
    resolve: Callable[[str], list[str]] = field(
        default_factory=lambda: lru_cache(maxsize=256)(subscriptions._resolve))

    @classmethod
    def of(cls, app: Flask) -> Run:
        config = app.config
        identity = vapid.identity(config)
        return cls(signer=Vapid02(private_key=identity.private_key), subject=identity.subject,
                   allow_private=bool(config["PUSH_ALLOW_PRIVATE_ENDPOINTS"]),
                   ca_bundle=config.get("PUSH_CA_BUNDLE") or None,
                   timeout=float(config["PUSH_TIMEOUT_SECONDS"]),
                   concurrency=max(1, int(config["PUSH_CONCURRENCY"])),
                   retry_seconds=float(config["PUSH_RETRY_SECONDS"]),
                   max_attempts=max(1, int(config["PUSH_MAX_ATTEMPTS"])))

    @property
    def batch(self) -> int:
        return max(64, self.concurrency * BATCH_PER_SLOT)

    def lease_until(self, now: dt.datetime, rows: int) -> dt.datetime:
        """Long enough for `rows` messages even if every one waits its whole timeout."""
        waves = math.ceil(max(rows, 1) / self.concurrency)
        return now + dt.timedelta(seconds=waves * self.timeout + LEASE_MARGIN_SECONDS)


def check(app: Flask) -> None:
    """Fail loudly, at the worker's start, when the VAPID settings cannot sign a push."""
    vapid.identity(app.config)


# -- the daytime window ------------------------------------------------------------------------

def window(app: Flask, now: dt.datetime) -> tuple[bool, dt.datetime, dt.datetime]:
    """(is `now` inside the sending window, the local day's start in UTC, the next day's window
    start in UTC) in the Puskesmas's time zone."""
    zone = clock.zone()
    local = now.astimezone(zone)
    start, end = app.config["PUSH_WINDOW_START"], app.config["PUSH_WINDOW_END"]
    opens, closes = outbox.window_bounds(local.date(), start, end, zone)
    tomorrow, _ = outbox.window_bounds(local.date() + dt.timedelta(days=1), start, end, zone)
    midnight = dt.datetime.combine(local.date(), dt.time(0), zone)
    return opens <= local < closes, midnight.astimezone(dt.UTC), tomorrow.astimezone(dt.UTC)


# -- one message -------------------------------------------------------------------------------

def _refused(row: dict, run: Run) -> Outcome | None:
    """Why `row` cannot be sent as it is (nothing is sent then), or None."""
    if row["subscription"] is None:
        return Outcome(row, "dropped", "the subscription is gone")
    try:
        subscriptions.check(row["subscription"], allow_private=run.allow_private,
                            resolve=run.resolve)
    except subscriptions.BadSubscription as exc:
        return Outcome(row, "failed", f"endpoint refused at send time: {exc}")
    size = len(row["payload"].encode())
    if size > MAX_PAYLOAD:
        return Outcome(row, "dropped", f"payload of {size} bytes is over the {MAX_PAYLOAD} a "
                                       f"push can carry; the payload must be fixed")
    if row["topic"] and not TOPIC.match(row["topic"]):
        return Outcome(row, "failed", "topic must be 1–32 base64url characters")
    if row["urgency"] not in URGENCIES:
        return Outcome(row, "failed", f"urgency {row['urgency']!r} is not one of RFC 8030's")
    return None


def _request(row: dict, run: Run) -> tuple[bytes, dict[str, str]]:
    """The encrypted body and the headers of one push."""
    started = time.perf_counter()      # thread_time() is a slow system call here
    endpoint = row["subscription"]["endpoint"]
    body = WebPusher(row["subscription"]).encode(row["payload"].encode(), "aes128gcm")["body"]
    headers = run.signer.sign(vapid.claims(endpoint, run.subject))
    run.encrypt_seconds += time.perf_counter() - started
    headers.update({"TTL": str(int(row["ttl"])), "Urgency": row["urgency"],
                    "Content-Encoding": "aes128gcm",
                    "Content-Type": "application/octet-stream"})
    if row["topic"]:
        headers["Topic"] = row["topic"]
    return body, headers


async def _push(session: aiohttp.ClientSession, slots: asyncio.Semaphore, row: dict,
                run: Run) -> Outcome:
    refused = _refused(row, run)
    if refused:
        return refused
    async with slots:
        body, headers = _request(row, run)
        try:
            async with session.post(row["subscription"]["endpoint"], data=body,
                                    headers=headers, allow_redirects=False) as answer:
                await answer.read()
                status, retry_after = answer.status, answer.headers.get("Retry-After")
        except TimeoutError:
            return Outcome(row, "retry", f"no answer within {run.timeout:g} s")
        except aiohttp.ClientError as exc:
            reason = getattr(exc, "os_error", None) or exc
            return Outcome(row, "retry", f"connection error: {reason}"[:300])
    if status in (201, 202):
        return Outcome(row, "sent", status=status)
    if status in (404, 410):
        return Outcome(row, "gone", f"{status}: the push service says the subscription is gone",
                       status)
    if status == 413:
        return Outcome(row, "dropped", "413: the push service refused the payload as too "
                                       "large; the payload must be fixed", status)
    if status == 429 or status >= 500:
        return Outcome(row, "retry", f"{status} from the push service", status, retry_after)
    return Outcome(row, "failed", f"{status} from the push service", status)


class _PublicOnly(aiohttp.ThreadedResolver):
    """Connects only to the public addresses a push service's name resolves to: a name that
    passed `subscriptions.check` and then resolves to a private one (DNS rebinding) gets no
    connection. (An address literal is not resolved; the check has refused a private one.)"""

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list:
        found = [r for r in await super().resolve(host, port, family)
                 if subscriptions.is_public(r["host"])]
        if not found:
            raise OSError(f"{host} resolves to no public address")
        return found


def _session(run: Run) -> aiohttp.ClientSession:
    """One connection pool for a whole send: its TLS handshakes are paid once per service."""
    context = ssl.create_default_context(cafile=run.ca_bundle)
    connector = aiohttp.TCPConnector(ssl=context, limit=run.concurrency,
                                     resolver=None if run.allow_private else _PublicOnly())
    return aiohttp.ClientSession(connector=connector,
                                 timeout=aiohttp.ClientTimeout(total=run.timeout))


async def _deliver(session: aiohttp.ClientSession, rows: list[dict], run: Run) -> list[Outcome]:
    slots = asyncio.Semaphore(run.concurrency)
    return await asyncio.gather(*(_push(session, slots, row, run) for row in rows))


# -- what became of them -----------------------------------------------------------------------

def retry_delay(outcome: Outcome, run: Run, now: dt.datetime) -> float:
    """Seconds until the next try: the service's Retry-After (seconds or an HTTP date; at
    least 1 s, at most a day), else PUSH_RETRY_SECONDS doubled at each try."""
    value = (outcome.retry_after or "").strip()
    if value.isdigit():
        return min(max(float(value), 1.0), MAX_RETRY_AFTER)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return min(max((when - now).total_seconds(), 1.0), MAX_RETRY_AFTER)
    return run.retry_seconds * 2 ** (outcome.row["attempts"] - 1)


def _record(outcomes: list[Outcome], run: Run, now: dt.datetime, counts: Counter) -> None:
    c = push_outbox.c
    by = {result: [o for o in outcomes if o.result == result]
          for result in ("sent", "gone", "dropped", "failed", "retry")}
    with write_transaction() as conn:
        if by["sent"]:
            ids = [o.row["id"] for o in by["sent"]]
            conn.execute(sa.update(push_outbox).where(c.id.in_(ids)).values(
                status="sent", sent_at=outbox.iso(now), last_error=None))
            conn.execute(sa.update(push_subscriptions).where(push_subscriptions.c.id.in_(
                {o.row["subscription_id"] for o in by["sent"]})).values(
                last_sent_at=outbox.iso(now)))
        for outcome in by["gone"]:
            counts["removed"] += subscriptions.delete(
                conn, reason=outcome.error, sub_id=outcome.row["subscription_id"])
        for result, status in (("dropped", "dropped"), ("failed", "failed")):
            for outcome in by[result]:
                conn.execute(sa.update(push_outbox).where(c.id == outcome.row["id"]).values(
                    status=status, last_error=outcome.error[:300]))
        for outcome in by["retry"]:
            if outcome.row["attempts"] >= run.max_attempts:
                values = {"status": "failed", "last_error": (
                    f"gave up after {outcome.row['attempts']} tries: {outcome.error}")[:300]}
                counts["failed"] += 1
            else:
                later = now + dt.timedelta(seconds=retry_delay(outcome, run, now))
                values = {"next_attempt_at": outbox.iso(later), "last_error": outcome.error}
                counts["retried"] += 1
            conn.execute(sa.update(push_outbox).where(
                c.id == outcome.row["id"], c.status == "queued").values(**values))
    for result in ("sent", "dropped", "failed"):
        counts[result] += len(by[result])
    counts["dropped"] += len(by["gone"])


async def _send(batches: Callable[[], list[dict]], run: Run, now: dt.datetime | None,
                counts: Counter) -> None:
    """Deliver and record batch after batch of claimed rows until `batches()` gives none."""
    async with _session(run) as session:
        while rows := batches():
            outcomes = await _deliver(session, rows, run)
            _record(outcomes, run, now or clock.utc_now(), counts)


def _result(counts: Counter, run: Run) -> dict:
    return {**{key: counts.get(key, 0) for key in (
        "claimed", "sent", "retried", "failed", "dropped", "removed", "expired", "deferred")},
        "window_open": bool(counts.get("window_open", 1)),
        "seconds": round(time.perf_counter() - run.started, 4),
        "cpu_seconds": round(time.thread_time() - run.started_cpu, 4),
        "encrypt_seconds": round(run.encrypt_seconds, 4)}


def _run_loop(app: Flask, coroutine: Callable[[], Coroutine]) -> None:
    """Run the fan-out on an event loop of its own. A caller whose thread already runs a loop
    (code inside async code; a test process driving Chromium through Playwright's sync API)
    cannot start a second one there: the fan-out then runs in a thread of its own, in the
    app's context, and the caller waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine())
        return

    def in_thread() -> None:
        with app.app_context():
            asyncio.run(coroutine())

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(in_thread).result()


# -- the two entry points ----------------------------------------------------------------------

def send_due(app: Flask, now: dt.datetime | None = None) -> dict:
    """Claim the due rows and deliver them, batch after batch, until none is due. Counts:
    claimed, sent, retried, failed, dropped, removed (subscriptions), expired, deferred (over a
    household's daily cap), window_open, seconds (wall), cpu_seconds (CPU time of the calling
    thread) and encrypt_seconds (encrypting and signing, CPU-bound). Nothing is sent outside the
    daytime window. VapidConfigError when the VAPID settings cannot sign."""
    with app.app_context():
        run = Run.of(app)
        counts: Counter = Counter()
        cap = int(app.config["PUSH_HOUSEHOLD_DAILY_CAP"])
        more = True

        def batches() -> list[dict]:
            nonlocal more
            while more:
                moment = now or clock.utc_now()
                inside, day_start, next_window = window(app, moment)
                with write_transaction() as conn:
                    counts["expired"] += claim.expire(conn, moment)
                    if not inside:
                        counts["window_open"] = 0
                        return []
                    rows, deferred = claim.claim_due(
                        conn, moment, limit=run.batch, cap=cap, day_start=day_start,
                        lease_until=run.lease_until(moment, run.batch), next_window=next_window)
                counts["claimed"] += len(rows)
                counts["deferred"] += deferred
                more = len(rows) + deferred == run.batch
                if rows:
                    return rows
            return []

        _run_loop(app, lambda: _send(batches, run, now, counts))
    return _result(counts, run)


def send_now(app: Flask, outbox_ids) -> dict:
    """Deliver the named queued rows at once, whatever the window, the cap or their time (the
    admin's test push to their own device). Counts as `send_due`'s."""
    with app.app_context():
        run = Run.of(app)
        counts: Counter = Counter()
        ids = list(outbox_ids)

        def batches() -> list[dict]:
            if not ids:
                return []
            moment = clock.utc_now()
            with write_transaction() as conn:
                rows = claim.claim_ids(conn, ids, moment, run.lease_until(moment, len(ids)))
            ids.clear()
            counts["claimed"] += len(rows)
            return rows

        _run_loop(app, lambda: _send(batches, run, None, counts))
    return _result(counts, run)
