"""POST /api/v1/push/test: one message to each of the caller's own devices, sent at once
through the real sender to the tests' local push service, which verifies the VAPID JWT and
decrypts what arrived."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import read_transaction
from backend.push.tables import push_outbox, push_subscriptions

URL = "/api/v1/push/test"


def test_a_test_push_reaches_every_own_device_and_a_gone_one_is_removed(
        login, push_app, receiver):
    pustu, other = login("pustu_a"), login("kader_a")
    working, gone = receiver.subscription(201), receiver.subscription(410)
    foreign = receiver.subscription(201)
    for sub in (working, gone):
        assert pustu.post("/api/v1/push/subscriptions", json=sub).status_code == 201
    assert other.post("/api/v1/push/subscriptions", json=foreign).status_code == 201

    response = pustu.post(URL)
    assert response.status_code == 200, response.json
    assert (response.json["queued"], response.json["sent"]) == (2, 1)
    assert len(response.json["errors"]) == 1 and "410" in response.json["errors"][0]
    assert gone["endpoint"].split("/push/")[1] not in response.json["errors"][0]

    [message] = receiver.received(working)
    assert message.status == 201 and message.error is None
    assert message.payload == {"title": "Siklus: notifikasi uji",
                               "body": "Notifikasi di perangkat ini berfungsi.",
                               "url": "/#/settings", "tag": "staff_test"}
    assert (message.ttl, message.urgency, message.topic) == (600, "normal", "staff_test")
    assert message.claims["sub"] == "mailto:admin@pkm-cikalong.example"
    assert receiver.received(foreign) == []   # another user's device hears nothing

    with read_transaction() as conn:
        left = conn.execute(sa.select(push_subscriptions.c.endpoint)).scalars().all()
        statuses = conn.execute(sa.select(push_outbox.c.rule, push_outbox.c.status)
                                .order_by(push_outbox.c.id)).all()
    assert sorted(left) == sorted([working["endpoint"], foreign["endpoint"]])
    assert sorted(statuses) == [("staff_test", "dropped"), ("staff_test", "sent")]
    [entry] = login("admin").get("/api/v1/audit?action=push.test").json["items"]
    assert entry["actor"] == "pustu_a" and entry["detail"] == {"queued": 2, "sent": 1}


def test_nothing_to_test_without_a_device(login, push_app, receiver):
    response = login("kapus").post(URL)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    with read_transaction() as conn:
        assert conn.execute(sa.select(push_outbox)).all() == []
