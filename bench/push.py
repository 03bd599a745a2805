"""Web push figures: the sender's fan-out to the local push service, and the reminder scheduler
over the whole demo.

    .venv/bin/python bench/push.py [--pushes 2000] [--rounds 3] [--database-url URL]
                                   [--scheduler] [--scale 1]

Fan-out: --pushes outbox rows, one per subscription and household, are queued and
`sender.send_due` delivers them (claim, endpoint check, pywebpush's aes128gcm encryption, VAPID
signature, the POST, the record) to tests/push/receiver.py, which runs in a process of its own
(it verifies every JWT and decrypts every body, as the tests have it) so the sender has one core
of this 2-core machine to itself. Figures per round: pushes/s and the share of the sender's
time spent encrypting and signing. References in the same process: a second receiver that answers
every push 50 ms late (a push service across the internet), reached by `send_due` with
PUSH_CONCURRENCY and with one push at a time (what the concurrency buys); and the transport
alone — the same encrypted requests by aiohttp (the sender's `_deliver`) against a thread pool
of PUSH_CONCURRENCY threads sharing one requests session — which is how aiohttp was chosen.

Scheduler (--scheduler, needs backend/reminders/scheduler.py): the demo is seeded (bench/
demo_db.py, scale --scale), every household subscribed, and `schedule(conn, now)` runs over it
once, timed: persons/s and rows queued; then `send_due` delivers what it queued.

Prints the figures and appends them to bench/results/push.txt. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from backend import clock, create_app  # noqa: E402
from backend.db import read_transaction, write_transaction  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.push import sender  # noqa: E402
from backend.push.outbox import iso  # noqa: E402
from backend.push.tables import push_outbox, push_subscriptions  # noqa: E402
from tests.push import keys  # noqa: E402
from tests.push.receiver import PushReceiver  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "push.txt"
LATENCY_MS = 50
PAYLOAD = '{"title":"Imunisasi Budi","body":"Jatuh tempo minggu ini","url":"/keluarga/"}'


def configure(app, receiver: PushReceiver, concurrency: int) -> None:
    app.config.update(VAPID_SUBJECT="mailto:admin@pkm-bench.example", PUSH_CONCURRENCY=concurrency,
                      PUSH_HOUSEHOLD_DAILY_CAP=1000, PUSH_WINDOW_START="00:00",
                      PUSH_WINDOW_END="23:59", **receiver.app_config())


def subscribe(receiver: PushReceiver, count: int, tag: str) -> list[str]:
    """`count` subscriptions on the receiver; their ids."""
    now = iso(clock.utc_now())
    rows = []
    for n in range(count):
        sub = keys.subscription(receiver.origin, f"{tag}-{n}")
        rows.append({"id": f"{tag}-{n}", "kind": "family", "endpoint": sub["endpoint"],
                     "p256dh": sub["keys"]["p256dh"], "auth": sub["keys"]["auth"],
                     "household_id": f"hh-{tag}-{n}", "created_at": now})
    with write_transaction() as conn:
        conn.execute(sa.insert(push_subscriptions), rows)
    return [row["id"] for row in rows]


def queue(sub_ids: list[str], tag: str) -> None:
    now = clock.utc_now()
    start, until = iso(now - dt.timedelta(seconds=1)), iso(now + dt.timedelta(days=1))
    with write_transaction() as conn:
        conn.execute(sa.insert(push_outbox), [{
            "key": f"bench:{tag}:{sub_id}", "subscription_id": sub_id, "kind": "family",
            "household_id": f"hh-{sub_id}", "rule": "bench", "payload": PAYLOAD,
            "topic": "imunisasi", "ttl": 86400, "urgency": "normal", "status": "queued",
            "attempts": 0, "not_before": start, "next_attempt_at": start, "expires_at": until,
            "created_at": start} for sub_id in sub_ids])


def fan_out(app, receiver, sub_ids: list[str], tag: str, concurrency: int) -> dict:
    """send_due over one queued row per subscription: its counts, with the receiver's CPU."""
    app.config["PUSH_CONCURRENCY"] = concurrency
    queue(sub_ids, tag)
    before = receiver.stats()
    counts = sender.send_due(app)
    after = receiver.stats()
    arrived = after["by_status"].get("201", 0) - before["by_status"].get("201", 0)
    assert counts["sent"] == arrived == len(sub_ids), (counts, arrived)
    return {**counts, "receiver_cpu_seconds": after["cpu_seconds"] - before["cpu_seconds"]}


def claimed_rows(sub_ids: list[str]) -> list[dict]:
    """The rows as a claim hands them to the sender, without claiming them."""
    with read_transaction() as conn:
        subs = conn.execute(sa.select(push_subscriptions).where(
            push_subscriptions.c.id.in_(sub_ids))).mappings().all()
    return [{"id": n, "subscription_id": s["id"], "payload": PAYLOAD, "topic": "imunisasi",
             "ttl": 86400, "urgency": "normal", "attempts": 1,
             "subscription": {"endpoint": s["endpoint"],
                              "keys": {"p256dh": s["p256dh"], "auth": s["auth"]}}}
            for n, s in enumerate(subs)]


def transport_aiohttp(rows: list[dict], run: sender.Run) -> tuple[float, float]:
    async def deliver():
        async with sender._session(run) as session:
            return await sender._deliver(session, rows, run)

    started, cpu = time.perf_counter(), time.process_time()
    outcomes = asyncio.run(deliver())
    assert all(o.result == "sent" for o in outcomes), outcomes[0]
    return len(rows) / (time.perf_counter() - started), time.process_time() - cpu


def transport_threads(rows: list[dict], run: sender.Run) -> tuple[float, float]:
    """The same requests from a thread pool sharing one requests session."""
    session = requests.Session()
    session.trust_env = False           # REQUESTS_CA_BUNDLE would replace `verify`
    session.verify = run.ca_bundle
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=run.concurrency)
    session.mount("https://", adapter)
    lock = threading.Lock()

    def one(row: dict) -> int:
        with lock:                      # Run.encrypt_seconds is not thread-safe
            body, headers = sender._request(row, run)
        answer = session.post(row["subscription"]["endpoint"], data=body, headers=headers,
                              timeout=run.timeout, allow_redirects=False)
        return answer.status_code

    started, cpu = time.perf_counter(), time.process_time()
    with concurrent.futures.ThreadPoolExecutor(run.concurrency) as pool:
        statuses = list(pool.map(one, rows))
    assert set(statuses) == {201}, set(statuses)
    return len(rows) / (time.perf_counter() - started), time.process_time() - cpu


def fan_out_figures(app, receiver, slow, pushes: int, rounds: int, lines: list[str]) -> None:
    """Wall-clock pushes/s, and CPU microseconds per push of the sender (this thread) and of
    the receiver's process: on a shared machine the wall clock moves with the neighbours' load,
    the CPU time far less."""
    concurrency = int(app.config["PUSH_CONCURRENCY"])
    names = ("send_due", f"send_due, {LATENCY_MS} ms service",
             f"  … one at a time, {LATENCY_MS} ms", "transport: aiohttp", "transport: thread pool")
    rate: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    receiver_cpu, shares, encrypt_cpu = [], [], []
    sequential = 100        # 20 pushes/s at 50 ms each: five seconds
    for r in range(rounds):
        sub_ids = subscribe(receiver, pushes, f"r{r}")
        distant = subscribe(slow, pushes, f"r{r}-slow")
        for name, service, ids, slots in (
                ("send_due", receiver, sub_ids, concurrency),
                (names[1], slow, distant, concurrency),
                (names[2], slow, distant[:sequential], 1)):
            counts = fan_out(app, service, ids, f"r{r}-{slots}", slots)
            rate[name].append(counts["sent"] / counts["seconds"])
            cpu[name].append(counts["cpu_seconds"] / counts["sent"] * 1e6)
            if name == "send_due":
                receiver_cpu.append(counts["receiver_cpu_seconds"] / counts["sent"] * 1e6)
                shares.append(counts["encrypt_seconds"] / counts["seconds"])
        app.config["PUSH_CONCURRENCY"] = concurrency
        run = sender.Run.of(app)
        rows = claimed_rows(sub_ids)
        started = time.process_time()
        for row in rows:
            sender._request(row, run)
        encrypt_cpu.append((time.process_time() - started) / len(rows) * 1e6)
        for name, transport in (("transport: aiohttp", transport_aiohttp),
                                ("transport: thread pool", transport_threads)):
            per_second, seconds = transport(rows, run)
            rate[name].append(per_second)
            cpu[name].append(seconds / len(rows) * 1e6)
    median = statistics.median
    lines.append(f"fan-out of {pushes} pushes (PUSH_CONCURRENCY={concurrency}; the one-at-a-time "
                 f"reference sends {sequential}), median of {rounds} rounds; a '{LATENCY_MS} ms "
                 f"service' answers each push {LATENCY_MS} ms late, like one across the "
                 f"internet:")
    lines.append(f"  {'':<26} {'pushes/s':>9} {'best':>7} {'CPU µs/push':>12}")
    for name in names:
        lines.append(f"  {name:<26} {median(rate[name]):9.0f} {max(rate[name]):7.0f} "
                     f"{median(cpu[name]):12.0f}")
    lines.append(f"  the receiver (verify JWT, decrypt): {median(receiver_cpu):.0f} CPU µs/push")
    sender_us = median(cpu["send_due"])
    lines.append(f"  with a core each, sender and receiver: {1e6 / max(sender_us, median(receiver_cpu)):.0f} "  # noqa: E501
                 f"pushes/s; the sender alone on one core: {1e6 / sender_us:.0f} pushes/s")
    lines.append(f"  concurrency against one at a time, {LATENCY_MS} ms service: ×"
                 f"{median(rate[names[1]]) / median(rate[names[2]]):.0f} "
                 f"(wall); aiohttp against the thread pool ×"
                 f"{median(rate['transport: aiohttp']) / median(rate['transport: thread pool']):.2f} "  # noqa: E501
                 f"(wall), ×{median(cpu['transport: thread pool']) / median(cpu['transport: aiohttp']):.2f} "  # noqa: E501
                 f"(CPU)")
    lines.append(f"  encrypting and signing alone: {median(encrypt_cpu):.0f} CPU µs/push = "
                 f"{median(encrypt_cpu) / sender_us:.0%} of send_due's CPU time "
                 f"({median(shares):.0%} of its wall time)")


def subscribe_demo(receiver: PushReceiver) -> tuple[int, int]:
    """Every household of the demo consenting (a `subscription_consent` through the one write
    path) and subscribed on the receiver: (households, persons)."""
    from backend.projections.tables import households, persons  # noqa: PLC0415
    from backend.push import subscriptions  # noqa: PLC0415
    from backend.writes import write_docs  # noqa: PLC0415
    from tests import factories as f  # noqa: PLC0415

    with read_transaction() as conn:
        homes = conn.execute(sa.select(households.c.id, households.c.desa)).all()
        person_count = conn.execute(sa.select(sa.func.count()).select_from(persons)).scalar()
    consents = [{**f._base("subscription_consent", desa), "household": home,
                 "given_at": f.TS, "given_by": "Keluarga"} for home, desa in homes]
    now = clock.utc_now()
    with write_transaction() as conn:
        assert all(r.get("ok") for r in write_docs(conn, consents, None))
        for consent in consents:
            sub = subscriptions.check(keys.subscription(receiver.origin, consent["_id"][-32:]),
                                      allow_private=True)
            subscriptions.save(conn, sub, kind="family", now=now,
                               household_id=consent["household"], consent_id=consent["_id"],
                               desa=consent["desa"])
    return len(homes), person_count


def scheduler_figures(app, receiver, lines: list[str]) -> None:
    try:
        from backend.reminders.scheduler import schedule  # noqa: PLC0415
    except ImportError:
        lines.append("scheduler: backend/reminders/scheduler.py is not on this branch yet")
        return
    from backend.reminders.scheduler import run as run_scheduler  # noqa: PLC0415
    homes, person_count = subscribe_demo(receiver)
    now = clock.utc_now()
    # The worker's way: evaluate in a read transaction, write in a short write transaction.
    started, cpu = time.perf_counter(), time.process_time()
    counts = run_scheduler(now)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    lines.append(f"scheduler over the demo: {person_count} persons in {homes} households, all "
                 f"subscribed: {seconds:.2f} s ({cpu:.2f} s CPU) = {person_count / seconds:.0f} "
                 f"persons/s ({person_count / cpu:.0f} per CPU second); "
                 f"{counts['queued']} rows queued")
    lines.append(f"  write lock held (the worker's run: read, then write): "
                 f"{counts['write_seconds'] * 1000:.0f} ms of {seconds:.2f} s")
    # The first version's way, for comparison: everything in one write transaction (the
    # rows are queued already, so this run's writes are the re-checks only).
    started = time.perf_counter()
    with write_transaction() as conn:
        schedule(conn, now)
    lines.append(f"  write lock held (one write transaction, as before): "
                 f"{time.perf_counter() - started:.2f} s")
    app.config["PUSH_HOUSEHOLD_DAILY_CAP"] = 2
    before = receiver.stats()["by_status"].get("201", 0)
    sent = sender.send_due(app)
    arrived = receiver.stats()["by_status"].get("201", 0) - before
    lines.append(f"  then send_due: {sent['sent']} sent ({arrived} arrived and decrypted), "
                 f"{sent['deferred']} over the daily cap of 2, {sent['seconds']:.2f} s "
                 f"({sent['sent'] / max(sent['seconds'], 1e-9):.0f} pushes/s)")
    app.config["PUSH_HOUSEHOLD_DAILY_CAP"] = 1000


def run(args) -> str:
    work = Path(tempfile.mkdtemp(prefix="siklus-bench-push-"))
    os.environ.setdefault("SIKLUS_INSTANCE_PATH", str(work / "instance"))
    if args.scheduler:
        from bench.demo_db import demo_app  # noqa: PLC0415
        app = demo_app(args.database_url, args.scale, prefix="siklus-bench-push-")
    else:
        app = create_app({"DATABASE_URL": args.database_url or f"sqlite:///{work / 'push.db'}"})
        upgrade(app.extensions["siklus.engine"])
    url = str(app.config["DATABASE_URL"])
    receiver = PushReceiver(app.config["VAPID_PUBLIC_KEY"]).start(process=True)
    slow = PushReceiver(app.config["VAPID_PUBLIC_KEY"], LATENCY_MS / 1000).start(process=True)
    configure(app, receiver, int(app.config["PUSH_CONCURRENCY"]))
    bundle = work / "push-services.pem"     # trust both receivers' certificates
    bundle.write_bytes(receiver.ca_file.read_bytes() + slow.ca_file.read_bytes())
    app.config["PUSH_CA_BUNDLE"] = str(bundle)
    lines = [f"push, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
             f"{platform.python_version()}, {url.split(':', maxsplit=1)[0]}, "
             f"{os.cpu_count()} cores, receiver in its own process, "
             f"load average {os.getloadavg()[0]:.1f}"]
    try:
        with app.app_context():
            if args.scheduler:
                scheduler_figures(app, receiver, lines)
            if not args.no_fan_out:
                fan_out_figures(app, receiver, slow, args.pushes, args.rounds, lines)
    finally:
        receiver.stop()
        slow.stop()
        app.extensions["siklus.engine"].dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--scheduler", action="store_true",
                        help="also seed the demo and time the reminder scheduler over it")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-fan-out", action="store_true",
                        help="skip the sender's fan-out figures (with --scheduler: only those)")
    report = run(parser.parse_args())
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(report + "\n\n")


if __name__ == "__main__":
    main()
