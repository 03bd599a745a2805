"""A staff user's own devices over /api/v1/push: subscribe, list, unsubscribe; the checks a
subscription passes answer 400 with their reason; nobody touches another user's device."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import read_transaction, write_transaction
from backend.push import outbox
from backend.push.tables import push_outbox, push_subscriptions
from tests.staffpush.conftest import browser_subscription

URL = "/api/v1/push/subscriptions"


def rows() -> list[sa.Row]:
    with read_transaction() as conn:
        return conn.execute(sa.select(push_subscriptions)).all()


def trail(login, action: str) -> list[dict]:
    return login("admin").get(f"/api/v1/audit?action={action}").json["items"]


@pytest.mark.parametrize(("method", "path"), [
    ("post", URL), ("delete", URL), ("get", "/api/v1/push/devices"),
    ("post", "/api/v1/push/test"), ("get", "/api/v1/push/outbox")])
def test_without_a_login_every_device_call_is_401(client, world, method, path):
    sub = browser_subscription()
    body = {"endpoint": sub["endpoint"]} if method == "delete" else sub
    response = getattr(client, method)(path, json=body)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_a_user_subscribes_this_device_and_finds_it_in_their_list(login, local_push):
    pustu, sub = login("pustu_a"), browser_subscription()
    response = pustu.client.post(URL, json=sub, headers={**pustu.headers, "User-Agent": "Tablet/1"})
    assert response.status_code == 201, response.json
    device = response.json
    assert device["service"] == "127.0.0.1" and "endpoint" not in device
    assert device["endpoint_sha256"] == hashlib.sha256(sub["endpoint"].encode()).hexdigest()
    assert pustu.get("/api/v1/push/devices").json["items"] == [device]
    [row] = rows()
    assert (row.kind, row.username, row.user_agent) == ("staff", "pustu_a", "Tablet/1")
    [entry] = trail(login, "push.subscribe")
    assert (entry["actor"], entry["target_id"]) == ("pustu_a", device["id"])
    assert sub["endpoint"] not in str(entry)


def test_subscribing_the_same_browser_again_replaces_its_row(login, local_push):
    pustu, sub = login("pustu_a"), browser_subscription()
    first = pustu.post(URL, json=sub).json["id"]
    second = pustu.post(URL, json=sub).json["id"]
    assert [row.id for row in rows()] == [second] != [first]


@pytest.mark.parametrize(("change", "reason"), [
    ({"endpoint": "http://127.0.0.1/push/a"}, "https"),
    ({"endpoint": None}, "endpoint is required"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "65 bytes"),
    ({"keys": None}, "keys"),
])
def test_a_bad_subscription_is_400_with_its_reason_and_nothing_is_stored(
        login, local_push, change, reason):
    response = login("kader_a").post(URL, json={**browser_subscription(), **change})
    assert response.status_code == 400, response.json
    assert reason in response.json["detail"]
    assert rows() == []
    assert trail(login, "push.subscribe") == []


def test_a_private_address_is_refused_when_private_endpoints_are_not_allowed(login, app):
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = False
    response = login("pustu_a").post(URL, json=browser_subscription())  # 127.0.0.1
    assert response.status_code == 400
    assert "private or loopback" in response.json["detail"]
    assert rows() == []


def test_a_body_that_is_not_a_subscription_is_refused(login, local_push):
    response = login("pustu_a").post(URL, json={"hello": "world"})
    assert response.status_code == 400
    assert "endpoint is required" in response.json["detail"]
    assert rows() == []


def _queue_for(sub_id: str) -> None:
    now = outbox.iso(clock.utc_now())
    with write_transaction() as conn:
        outbox.enqueue(conn, [{"key": f"t:{sub_id}", "subscription_id": sub_id, "kind": "staff",
                               "username": "pustu_a", "rule": "tugas_baru", "payload": {},
                               "ttl": 60, "urgency": "normal", "not_before": now,
                               "expires_at": now}])


def test_a_user_unsubscribes_their_device_and_its_queued_messages_are_dropped(login, local_push):
    pustu, sub = login("pustu_a"), browser_subscription()
    device = pustu.post(URL, json=sub).json
    _queue_for(device["id"])
    response = pustu.client.delete(URL, json={"endpoint": sub["endpoint"]}, headers=pustu.headers)
    assert response.status_code == 204
    assert rows() == [] and pustu.get("/api/v1/push/devices").json["items"] == []
    with read_transaction() as conn:
        assert conn.execute(sa.select(push_outbox.c.status)).scalars().all() == ["dropped"]
    assert [e["target_id"] for e in trail(login, "push.unsubscribe")] == [device["id"]]


def test_nobody_sees_or_removes_another_users_device(login, local_push):
    own, other = browser_subscription(), browser_subscription()
    login("pustu_a").post(URL, json=own)
    pustu_b = login("pustu_b")
    pustu_b.post(URL, json=other)
    admin = login("admin")  # not even the admin: a device is its user's own
    for session in (pustu_b, admin):
        response = session.client.delete(URL, json={"endpoint": own["endpoint"]},
                                         headers=session.headers)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
    assert sorted(row.username for row in rows()) == ["pustu_a", "pustu_b"]
    assert [d["service"] for d in pustu_b.get("/api/v1/push/devices").json["items"]] == [
        "127.0.0.1"]
    assert admin.get("/api/v1/push/devices").json["items"] == []


def test_a_write_without_the_csrf_header_is_refused(login, local_push):
    pustu = login("pustu_a")
    response = pustu.client.post(URL, json=browser_subscription())
    assert response.status_code == 403
    assert rows() == []
