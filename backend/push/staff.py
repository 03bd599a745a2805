"""Staff devices (docs/push.md "Staff notifications"): a logged-in user's own subscriptions, and
the test message that proves one of them receives.

A staff device belongs to the user who subscribed it from Pengaturan; a user sees and removes
only their own. What a device receives (new follow-up tasks, refused records) is queued by the
scheduler's staff rules; the test message is queued here and sent at once, outside the daytime
window, because the person who asked for it is holding the phone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa

from backend.push import outbox
from backend.push.payload import build
from backend.push.report import scrubbed
from backend.push.tables import push_outbox, push_subscriptions

TEST_RULE = "staff_test"
TEST_TTL = 600   # a test nobody sees within ten minutes has failed anyway
TEST_TITLE = "Siklus: notifikasi uji"
TEST_BODY = "Notifikasi di perangkat ini berfungsi."
TEST_URL = "/#/settings"


def devices(conn: sa.Connection, username: str) -> list[dict]:
    """The user's subscribed devices, newest first: not the endpoint (a capability URL), only its
    push service and its SHA-256, by which a browser recognises its own subscription."""
    rows = conn.execute(sa.select(push_subscriptions).where(
        push_subscriptions.c.kind == "staff", push_subscriptions.c.username == username,
    ).order_by(push_subscriptions.c.created_at.desc(), push_subscriptions.c.id))
    return [{"id": row.id, "service": urlsplit(row.endpoint).hostname,
             "endpoint_sha256": hashlib.sha256(row.endpoint.encode()).hexdigest(),
             "user_agent": row.user_agent, "created_at": row.created_at,
             "last_sent_at": row.last_sent_at} for row in rows]


def own_subscription(conn: sa.Connection, username: str, endpoint: str) -> str | None:
    """The id of the user's own staff subscription with `endpoint`, else None (another user's
    device, a family's phone, or nothing at all: the caller cannot tell which)."""
    return conn.execute(sa.select(push_subscriptions.c.id).where(
        push_subscriptions.c.endpoint == endpoint, push_subscriptions.c.kind == "staff",
        push_subscriptions.c.username == username)).scalar()


def queue_test(conn: sa.Connection, username: str, now: dt.datetime) -> list[int]:
    """One test message to each of the user's devices, due now; the outbox ids."""
    payload = build(TEST_TITLE, TEST_BODY, TEST_URL, TEST_RULE)
    stamp, run = outbox.iso(now), uuid.uuid4().hex[:12]
    expires = outbox.iso(now + dt.timedelta(seconds=TEST_TTL))
    rows = [{"key": f"{TEST_RULE}:{device['id']}:{run}", "subscription_id": device["id"],
             "kind": "staff", "username": username, "rule": TEST_RULE, "payload": payload,
             "topic": TEST_RULE, "ttl": TEST_TTL, "urgency": "normal",
             "not_before": stamp, "expires_at": expires} for device in devices(conn, username)]
    if not rows:
        return []
    outbox.enqueue(conn, rows, now=now)
    return list(conn.execute(sa.select(push_outbox.c.id).where(
        push_outbox.c.key.in_([row["key"] for row in rows]))).scalars())


def test_result(conn: sa.Connection, ids: list[int]) -> dict:
    """What became of the test messages `ids`: how many went out, and why the others did not
    (an error quotes at most the push service's host)."""
    rows = conn.execute(sa.select(push_outbox.c.status, push_outbox.c.last_error)
                        .where(push_outbox.c.id.in_(ids))).all()
    return {"queued": len(ids), "sent": sum(row.status == "sent" for row in rows),
            "errors": [scrubbed(row.last_error) or row.status
                       for row in rows if row.status != "sent"]}
