"""The sender against the local push service: what arrives is signed, decryptable and carries
its headers; what the service answers decides each outbox row (docs/push.md, "Sending")."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from backend.db import write_transaction
from backend.push import claim, sender, subscriptions
from backend.push.outbox import iso
from backend.push.tables import push_subscriptions
from tests.push.conftest import SUBJECT


def test_a_push_arrives_signed_decryptable_and_with_its_headers(push_app, receiver, outbox, at):
    now = at("2026-03-10 09:00")
    browser = receiver.subscription()
    sub_id = outbox.subscribe(browser)
    row_id = outbox.queue(sub_id, ttl=3600, urgency="low", topic="imunisasi-budi")

    counts = sender.send_due(push_app)

    assert counts["claimed"] == 1 and counts["sent"] == 1, counts
    [got] = receiver.received(browser)
    assert got.status == 201 and got.error is None
    assert got.payload == {"title": "Imunisasi Budi", "body": "Jatuh tempo minggu ini",
                           "url": "/keluarga/"}
    assert (got.ttl, got.urgency, got.topic) == (3600, "low", "imunisasi-budi")
    assert got.claims["aud"] == receiver.origin and got.claims["sub"] == SUBJECT
    assert time.time() < got.claims["exp"] <= time.time() + 24 * 3600
    row = outbox.row(row_id)
    assert (row["status"], row["attempts"], row["sent_at"]) == ("sent", 1, iso(now))
    assert outbox.subscription(sub_id)["last_sent_at"] == iso(now)
    assert counts["encrypt_seconds"] > 0


def test_every_push_gets_its_own_claims(push_app, receiver, outbox, at):
    """pywebpush writes aud into the claims it is given: one dict reused would carry the first
    service's origin to the second (403 there)."""
    at("2026-03-10 09:00")
    first, second = receiver.subscription(), receiver.subscription(host="localhost")
    for browser, household in ((first, "hh-1"), (second, "hh-2")):
        outbox.queue(outbox.subscribe(browser, household=household), household=household)

    assert sender.send_due(push_app)["sent"] == 2
    assert receiver.received(first)[0].claims["aud"] == receiver.origin
    assert receiver.received(second)[0].claims["aud"] == receiver.origin.replace(
        "127.0.0.1", "localhost")


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_and_its_queue_dropped(push_app, receiver, outbox, at,
                                                               status):
    now = at("2026-03-10 09:00")
    browser = receiver.subscription(status)
    sub_id = outbox.subscribe(browser)
    sent_id = outbox.queue(sub_id)
    later_id = outbox.queue(sub_id, topic="posyandu", not_before=now + dt.timedelta(hours=2))

    counts = sender.send_due(push_app)

    assert (counts["removed"], counts["sent"]) == (1, 0), counts
    assert outbox.subscription(sub_id) is None
    assert outbox.row(sent_id)["status"] == "dropped"
    assert outbox.row(sent_id)["last_error"].startswith(f"{status}:")
    assert outbox.row(later_id)["status"] == "dropped"
    assert len(receiver.received(browser)) == 1


def test_429_waits_for_retry_after_in_seconds(push_app, receiver, outbox, at):
    now = at("2026-03-10 09:00")
    browser = receiver.subscription((429, "30"), 201)
    row_id = outbox.queue(outbox.subscribe(browser))

    assert sender.send_due(push_app)["retried"] == 1
    row = outbox.row(row_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert row["next_attempt_at"] == iso(now + dt.timedelta(seconds=30))
    assert row["last_error"] == "429 from the push service"

    at("2026-03-10 09:00:29")
    assert sender.send_due(push_app)["claimed"] == 0       # not before Retry-After
    at("2026-03-10 09:00:30")
    assert sender.send_due(push_app)["sent"] == 1
    assert (outbox.row(row_id)["status"], outbox.row(row_id)["attempts"]) == ("sent", 2)
    assert [r.status for r in receiver.received(browser)] == [429, 201]


def test_429_waits_for_retry_after_as_an_http_date(push_app, receiver, outbox, at):
    now = at("2026-03-10 09:00")
    when = email.utils.format_datetime(now + dt.timedelta(minutes=5), usegmt=True)
    row_id = outbox.queue(outbox.subscribe(receiver.subscription((429, when), 201)))

    sender.send_due(push_app)
    assert outbox.row(row_id)["next_attempt_at"] == iso(now + dt.timedelta(minutes=5))


def test_500_backs_off_doubling_then_gives_up(push_app, receiver, outbox, at):
    push_app.config.update(PUSH_RETRY_SECONDS=60, PUSH_MAX_ATTEMPTS=3)
    now = at("2026-03-10 09:00")
    browser = receiver.subscription(500)
    row_id = outbox.queue(outbox.subscribe(browser))

    sender.send_due(push_app)
    assert outbox.row(row_id)["next_attempt_at"] == iso(now + dt.timedelta(seconds=60))
    at("2026-03-10 09:01")
    sender.send_due(push_app)
    assert outbox.row(row_id)["next_attempt_at"] == iso(now + dt.timedelta(seconds=180))
    at("2026-03-10 09:03")
    assert sender.send_due(push_app)["failed"] == 1
    row = outbox.row(row_id)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert row["last_error"] == "gave up after 3 tries: 500 from the push service"
    assert len(receiver.received(browser)) == 3


def test_a_hanging_push_service_times_out_and_is_retried(push_app, receiver, outbox, at):
    push_app.config.update(PUSH_TIMEOUT_SECONDS=0.3, PUSH_RETRY_SECONDS=10)
    now = at("2026-03-10 09:00")
    browser = receiver.subscription("hang", 201)
    row_id = outbox.queue(outbox.subscribe(browser))

    started = time.perf_counter()
    assert sender.send_due(push_app)["retried"] == 1
    assert time.perf_counter() - started < 2
    row = outbox.row(row_id)
    assert (row["status"], row["last_error"]) == ("queued", "no answer within 0.3 s")
    assert row["next_attempt_at"] == iso(now + dt.timedelta(seconds=10))

    at("2026-03-10 09:00:10")
    assert sender.send_due(push_app)["sent"] == 1


def test_a_push_service_that_refuses_connections_is_retried(push_app, receiver, outbox, at):
    push_app.config["PUSH_RETRY_SECONDS"] = 10
    at("2026-03-10 09:00")
    with socket.socket() as probe:             # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    browser = receiver.subscription()
    browser["endpoint"] = browser["endpoint"].replace(receiver.origin, f"https://127.0.0.1:{port}")
    row_id = outbox.queue(outbox.subscribe(browser))

    assert sender.send_due(push_app)["retried"] == 1
    row = outbox.row(row_id)
    assert row["status"] == "queued" and row["last_error"].startswith("connection error")


def test_a_row_whose_subscription_is_gone_is_dropped(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    sub_id = outbox.subscribe(receiver.subscription())
    row_id = outbox.queue(sub_id)
    with write_transaction() as conn:
        conn.execute(sa.delete(push_subscriptions).where(push_subscriptions.c.id == sub_id))

    assert sender.send_due(push_app)["dropped"] == 1
    assert outbox.row(row_id)["last_error"] == "the subscription is gone"


def test_413_drops_the_message_without_retrying(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    browser = receiver.subscription(413)
    sub_id = outbox.subscribe(browser)
    row_id = outbox.queue(sub_id)

    assert sender.send_due(push_app)["dropped"] == 1
    row = outbox.row(row_id)
    assert row["status"] == "dropped" and "payload must be fixed" in row["last_error"]
    assert outbox.subscription(sub_id) is not None


def test_an_oversize_payload_is_refused_before_anything_is_sent(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser),
                          payload={"title": "x", "body": "y" * sender.MAX_PAYLOAD})

    counts = sender.send_due(push_app)

    assert counts["dropped"] == 1 and counts["encrypt_seconds"] == 0
    assert outbox.row(row_id)["status"] == "dropped"
    assert "payload must be fixed" in outbox.row(row_id)["last_error"]
    assert receiver.received(browser) == []


def test_a_payload_of_the_largest_size_arrives(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    text = '{"b":"' + "y" * (sender.MAX_PAYLOAD - 8) + '"}'
    assert len(text) == sender.MAX_PAYLOAD
    outbox.queue(outbox.subscribe(browser), payload=text)

    assert sender.send_due(push_app)["sent"] == 1
    assert receiver.received(browser)[0].body == text.encode()


def test_another_client_error_fails_with_its_status(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    row_id = outbox.queue(outbox.subscribe(receiver.subscription(400)))

    assert sender.send_due(push_app)["failed"] == 1
    assert outbox.row(row_id)["status"] == "failed"
    assert outbox.row(row_id)["last_error"] == "400 from the push service"


def test_a_redirect_is_not_followed(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    browser = receiver.subscription(307)
    row_id = outbox.queue(outbox.subscribe(browser))

    sender.send_due(push_app)
    assert outbox.row(row_id)["status"] == "failed"
    assert outbox.row(row_id)["last_error"] == "307 from the push service"
    assert len(receiver.received(browser)) == 1
    assert receiver.received(browser["endpoint"] + "-redirected") == []


def test_a_private_endpoint_is_refused_at_send_time(push_app, receiver, outbox, at):
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser))
    push_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = False    # production

    assert sender.send_due(push_app)["failed"] == 1
    assert "endpoint refused" in outbox.row(row_id)["last_error"]
    assert receiver.received(browser) == []


def test_a_name_that_turns_private_after_the_check_gets_no_connection(push_app, receiver,
                                                                       outbox, at, monkeypatch):
    """DNS rebinding: the check at send time saw a public address, the connection would go to
    127.0.0.1."""
    at("2026-03-10 09:00")
    browser = receiver.subscription(host="localhost")
    row_id = outbox.queue(outbox.subscribe(browser))
    push_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = False
    monkeypatch.setattr(subscriptions, "_resolve", lambda host: ["93.184.216.34"])

    assert sender.send_due(push_app)["retried"] == 1
    assert "no public address" in outbox.row(row_id)["last_error"]
    assert receiver.received(browser) == []


def test_a_reminder_computed_at_22_waits_for_the_window(push_app, receiver, outbox, at):
    at("2026-03-10 22:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser))

    counts = sender.send_due(push_app)
    assert counts["window_open"] is False and counts["claimed"] == 0
    at("2026-03-11 06:59")
    assert sender.send_due(push_app)["claimed"] == 0
    assert receiver.received(browser) == []

    at("2026-03-11 07:00")
    assert sender.send_due(push_app)["sent"] == 1
    assert outbox.row(row_id)["status"] == "sent"


def test_the_window_is_the_puskesmas_local_time(push_app, receiver, outbox, at):
    """07:30 WIB is 09:30 WIT: a Puskesmas in Papua is already inside, one in Java not yet…"""
    at("2026-03-11 06:30")
    outbox.queue(outbox.subscribe(receiver.subscription()))
    assert sender.send_due(push_app)["window_open"] is False
    push_app.config["TIMEZONE"] = "Asia/Jayapura"
    assert sender.send_due(push_app)["sent"] == 1


def test_a_household_gets_at_most_its_daily_cap(push_app, receiver, outbox, at):
    push_app.config["PUSH_HOUSEHOLD_DAILY_CAP"] = 2
    now = at("2026-03-10 09:00")
    browser = receiver.subscription()
    sub_id = outbox.subscribe(browser)
    outbox.queue(sub_id, status="sent", sent_at=now - dt.timedelta(hours=1), topic="a")
    yesterday = now - dt.timedelta(hours=12)   # 21:00 WIB the day before
    outbox.queue(sub_id, status="sent", sent_at=yesterday, topic="b")
    first, second = outbox.queue(sub_id, topic="c"), outbox.queue(sub_id, topic="d")
    other = outbox.queue(outbox.subscribe(receiver.subscription(), household="hh-2"),
                         household="hh-2")

    counts = sender.send_due(push_app)

    assert (counts["sent"], counts["deferred"]) == (2, 1), counts
    assert outbox.row(first)["status"] == "sent" and outbox.row(other)["status"] == "sent"
    waiting = outbox.row(second)
    assert (waiting["status"], waiting["attempts"]) == ("queued", 0)
    assert waiting["next_attempt_at"] == "2026-03-11T00:00:00+00:00"   # 07:00 WIB tomorrow
    at("2026-03-11 07:00")
    assert sender.send_due(push_app)["sent"] == 1


def test_the_cap_counts_a_message_in_flight_or_awaiting_its_retry(push_app, receiver, outbox,
                                                                   at):
    push_app.config["PUSH_HOUSEHOLD_DAILY_CAP"] = 2
    now = at("2026-03-10 09:00")
    sub_id = outbox.subscribe(receiver.subscription())
    outbox.queue(sub_id, attempts=1, topic="retry", not_before=now + dt.timedelta(minutes=5))
    due = [outbox.queue(sub_id, topic=topic) for topic in ("c", "d")]

    counts = sender.send_due(push_app)
    assert (counts["sent"], counts["deferred"]) == (1, 1), counts
    assert sorted(outbox.row(row_id)["status"] for row_id in due) == ["queued", "sent"]


def test_staff_messages_have_no_household_cap(push_app, receiver, outbox, at):
    push_app.config["PUSH_HOUSEHOLD_DAILY_CAP"] = 1
    at("2026-03-10 09:00")
    sub_id = outbox.subscribe(receiver.subscription(), kind="staff", username="bidan")
    for topic in ("tugas", "ditolak"):
        outbox.queue(sub_id, kind="staff", household=None, topic=topic, rule="staff_digest")
    assert sender.send_due(push_app)["sent"] == 2


def test_a_message_past_its_window_expires_unsent(push_app, receiver, outbox, at):
    now = at("2026-03-10 09:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser), not_before=now - dt.timedelta(days=2),
                          expires_at=now - dt.timedelta(minutes=1))

    assert sender.send_due(push_app)["expired"] == 1
    assert outbox.row(row_id)["status"] == "expired"
    assert receiver.received(browser) == []


def test_a_message_not_yet_due_waits(push_app, receiver, outbox, at):
    now = at("2026-03-10 09:00")
    row_id = outbox.queue(outbox.subscribe(receiver.subscription()),
                          not_before=now + dt.timedelta(minutes=1))
    assert sender.send_due(push_app)["claimed"] == 0
    assert outbox.row(row_id)["attempts"] == 0


def test_a_claimed_message_is_not_claimed_again_during_its_lease(push_app, receiver, outbox, at):

    now = at("2026-03-10 09:00")
    outbox.queue(outbox.subscribe(receiver.subscription()))
    lease = now + dt.timedelta(minutes=5)
    kwargs = {"limit": 10, "lease_until": lease, "cap": 5, "day_start": now,
              "next_window": now + dt.timedelta(days=1)}
    with write_transaction() as conn:
        taken, _ = claim.claim_due(conn, now, **kwargs)
    with write_transaction() as conn:
        again, _ = claim.claim_due(conn, now + dt.timedelta(minutes=4), **kwargs)
    with write_transaction() as conn:
        after, _ = claim.claim_due(conn, lease, **kwargs)
    assert (len(taken), len(again), len(after)) == (1, 0, 1)
    assert after[0]["attempts"] == 2


def test_send_now_sends_outside_the_window(push_app, receiver, outbox, at):
    at("2026-03-10 23:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser, kind="staff", username="kapus"),
                          kind="staff", household=None, rule="test_push")

    counts = sender.send_now(push_app, [row_id])
    assert counts["sent"] == 1
    assert outbox.row(row_id)["status"] == "sent"
    assert sender.send_now(push_app, [row_id])["claimed"] == 0   # never twice


def test_a_caller_inside_a_running_event_loop_still_sends(push_app, receiver, outbox, at):
    """A thread that already runs a loop (async code; a test driving Chromium with Playwright's
    sync API) cannot start a second one: the sender delivers from a thread of its own."""
    at("2026-03-10 09:00")
    browser = receiver.subscription()
    row_id = outbox.queue(outbox.subscribe(browser, kind="staff", username="kapus"),
                          kind="staff", household=None, rule="test_push")

    async def inside_a_loop() -> dict:
        return sender.send_due(push_app)

    # A thread of the test's own runs the loop: the test process's main thread may already run
    # Playwright's, where even this test could not start one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        counts = pool.submit(asyncio.run, inside_a_loop()).result()
    assert counts["sent"] == 1
    assert outbox.row(row_id)["status"] == "sent"
