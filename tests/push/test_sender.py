"""The sender against the local push service: what arrives is signed, decryptable and carries
its headers; what the service answers decides each outbox row (docs/push.md, "Sending")."""

from __future__ import annotations

import datetime as dt
import email.utils
import time

import pytest

from backend.push import sender
from backend.push.claim import iso
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
