"""Fixtures of the sender's tests: the local push service (tests/push/receiver.py), an app that
trusts it and signs with a known VAPID key, a frozen clock, and subscriptions and outbox rows."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import read_transaction, write_transaction
from backend.instance_secrets import _new_vapid_pair
from backend.push import subscriptions
from backend.push.outbox import iso
from backend.push.tables import push_outbox, push_subscriptions
from tests.push.receiver import PushReceiver

WIB = ZoneInfo("Asia/Jakarta")
SUBJECT = "mailto:admin@pkm-cikalong.example"


@pytest.fixture(scope="session")
def vapid_pair() -> tuple[str, str]:
    return _new_vapid_pair()


@pytest.fixture(scope="session")
def receiver(vapid_pair):
    with PushReceiver(vapid_pair[1]) as service:
        yield service


@pytest.fixture
def push_app(app, receiver, vapid_pair):
    """The app, signing with `vapid_pair` and trusting the local push service.
    PUSH_TIMEOUT_SECONDS is a deadline for a hung service, not a speed expectation: at 2 s, on
    a busy machine, 30 of 40 pushes timed out and were left for a retry, and a test of two
    workers saw 10 arrive. The test of a hanging service sets its own short timeout."""
    app.config.update(VAPID_PRIVATE_KEY=vapid_pair[0], VAPID_PUBLIC_KEY=vapid_pair[1],
                      VAPID_SUBJECT=SUBJECT, TIMEZONE="Asia/Jakarta",
                      PUSH_TIMEOUT_SECONDS=60.0, **receiver.app_config())
    return app


@pytest.fixture
def at(monkeypatch):
    """at("2026-03-10 09:00") freezes the clock at that WIB time; the moment in UTC."""
    def freeze(local: str) -> dt.datetime:
        moment = dt.datetime.fromisoformat(local).replace(tzinfo=WIB).astimezone(dt.UTC)
        monkeypatch.setattr(clock, "_utc_source", lambda: moment)
        return moment
    return freeze


class Outbox:
    """Subscriptions and outbox rows as the scheduler (B) and the subscribe views leave them."""

    def __init__(self):
        self._keys = itertools.count(1)

    def subscribe(self, browser_sub: dict, *, kind: str = "family", household: str = "hh-1",
                  username: str | None = None) -> str:
        with write_transaction() as conn:
            return subscriptions.save(
                conn, subscriptions.check(browser_sub, allow_private=True), kind=kind,
                now=clock.utc_now(), household_id=household if kind == "family" else None,
                username=username)

    def queue(self, sub_id: str, *, household: str | None = "hh-1", kind: str = "family",
              payload: dict | str | None = None, ttl: int = 86400, urgency: str = "normal",
              topic: str | None = "imunisasi-budi", rule: str = "imunisasi_due",
              not_before: dt.datetime | None = None, expires_at: dt.datetime | None = None,
              status: str = "queued", attempts: int = 0, sent_at: dt.datetime | None = None
              ) -> int:
        now = clock.utc_now()
        body = payload if isinstance(payload, str) else json.dumps(payload or {
            "title": "Imunisasi Budi", "body": "Jatuh tempo minggu ini", "url": "/keluarga/"})
        start = iso(not_before or now)
        with write_transaction() as conn:
            return conn.execute(sa.insert(push_outbox).values(
                key=f"test:{next(self._keys)}", subscription_id=sub_id, kind=kind,
                household_id=household if kind == "family" else None, rule=rule, payload=body,
                topic=topic, ttl=ttl, urgency=urgency, status=status, attempts=attempts,
                not_before=start, next_attempt_at=start,
                expires_at=iso(expires_at or now + dt.timedelta(days=3)),
                created_at=iso(now), sent_at=iso(sent_at) if sent_at else None,
            )).inserted_primary_key[0]

    @staticmethod
    def row(row_id: int) -> dict:
        with read_transaction() as conn:
            return dict(conn.execute(sa.select(push_outbox).where(
                push_outbox.c.id == row_id)).mappings().one())

    @staticmethod
    def subscription(sub_id: str) -> dict | None:
        with read_transaction() as conn:
            found = conn.execute(sa.select(push_subscriptions).where(
                push_subscriptions.c.id == sub_id)).mappings().first()
        return dict(found) if found else None


@pytest.fixture
def outbox(push_app) -> Outbox:
    return Outbox()
