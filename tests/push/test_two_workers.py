"""Two workers sending at once on PostgreSQL send each message exactly once."""

from __future__ import annotations

import threading

import pytest

from backend.db import engine
from backend.push import sender

MESSAGES = 150


def test_two_workers_send_each_message_once(push_app, receiver, outbox, at):
    if engine().dialect.name != "postgresql":
        pytest.skip("SQLite runs one worker (backend/worker enforces it)")
    push_app.config.update(PUSH_CONCURRENCY=4, PUSH_HOUSEHOLD_DAILY_CAP=100)
    at("2026-03-10 09:00")
    browsers = [receiver.subscription() for _ in range(MESSAGES // 3)]
    for n, browser in enumerate(browsers):
        sub_id = outbox.subscribe(browser, household=f"hh-{n}")
        for topic in ("a", "b", "c"):
            outbox.queue(sub_id, household=f"hh-{n}", topic=topic)
    start = threading.Barrier(2)
    results: list[dict] = []

    def worker():
        start.wait()
        results.append(sender.send_due(push_app))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)   # a deadline for a hung worker, not a speed expectation
    assert not any(thread.is_alive() for thread in threads)

    assert sum(r["sent"] for r in results) == MESSAGES
    assert all(r["sent"] > 0 for r in results), results     # both took a share
    for browser in browsers:
        assert sorted(r.topic for r in receiver.received(browser)) == ["a", "b", "c"]
