"""A family subscribed from the family page gets its household's reminders, and "Berhenti"
ends them: the family API, B's scheduler and C's sender with its local push service
(tests/push/receiver.py: it verifies the VAPID JWT and decrypts the body), all real."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.instance_secrets import _new_vapid_pair
from backend.push.sender import send_due
from backend.push.tables import push_outbox
from backend.reminders.scheduler import schedule
from tests.push.receiver import PushReceiver

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def vapid():
    return _new_vapid_pair()


@pytest.fixture(scope="module")
def receiver(vapid):
    with PushReceiver(vapid[1]) as service:
        yield service


def test_a_subscribed_family_receives_first_names_and_stops(app, client, invite, receiver,
                                                             vapid):
    app.config.update(VAPID_PRIVATE_KEY=vapid[0], VAPID_PUBLIC_KEY=vapid[1],
                      VAPID_SUBJECT="mailto:admin@pkm-cikalong.example",
                      PUSH_TIMEOUT_SECONDS=60.0, **receiver.app_config())
    token, _doc = invite()
    sub = receiver.subscription()
    answer = client.post("/api/v1/family/subscribe", json={
        "token": token, "given_by": "Ibu Siti", "consent": True, "subscription": sub})
    assert answer.status_code == 201, answer.json
    key = answer.json["key"]
    coming = client.get("/api/v1/family/reminders", headers={"X-Family-Key": key}).json
    first = min(dt.date.fromisoformat(r["remind_on"]) for r in coming["reminders"])
    at = dt.datetime.combine(first, dt.time(9), WIB).astimezone(dt.UTC)

    with write_transaction() as conn:
        assert schedule(conn, at)["queued"] >= 1
    counts = send_due(app, at)
    assert counts["sent"] >= 1, counts
    messages = receiver.received(sub)
    assert messages and all(m.status == 201 for m in messages)
    for message in messages:
        assert message.payload["url"].startswith("/keluarga/")   # where "Berhenti" is
        text = f"{message.payload['title']} {message.payload['body']}"
        assert "Budi" in text and "Santoso" not in text, text

    assert client.post("/api/v1/family/stop", headers={"X-Family-Key": key}).status_code == 204
    later = at + dt.timedelta(days=1)
    with write_transaction() as conn:
        schedule(conn, later)
    with read_transaction() as conn:
        queued = conn.execute(sa.select(sa.func.count()).select_from(push_outbox).where(
            push_outbox.c.status == "queued")).scalar_one()
    assert queued == 0
    receiver.clear()
    send_due(app, later)
    assert receiver.received(sub) == []
