"""The outbox: insert-or-skip by key on both databases (also two connections at once on
PostgreSQL), the daytime window in TIMEZONE, expiry and pruning."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend.db import engine, write_transaction
from backend.push import outbox
from backend.push.tables import push_outbox
from tests.reminders.conftest import ZONE, local, outbox_rows

WINDOW = ("07:00", "20:00")
NOW = local(dt.date(2026, 12, 1), 9)


def row(key: str = "r|sub|person:1|2026-12-04-3", **fields) -> dict:
    return {"key": key, "subscription_id": "sub", "kind": "family", "household_id": "household:1",
            "rule": "imunisasi_jatuh_tempo", "payload": {"title": "Imunisasi Budi", "body": "",
                                                         "url": "/keluarga/", "tag": "t"},
            "topic": "imun-abc", "ttl": 86400, "urgency": "normal",
            "not_before": outbox.iso(NOW), "expires_at": outbox.iso(NOW + dt.timedelta(days=1)),
            **fields}


def test_enqueue_inserts_new_keys_and_skips_known_ones(app):
    with write_transaction() as conn:
        assert outbox.enqueue(conn, [row(), row("other")], now=NOW) == 2
    with write_transaction() as conn:
        # a known key, whatever its status now, is never queued again
        conn.execute(sa.update(push_outbox).where(push_outbox.c.key == "other")
                     .values(status="sent"))
        assert outbox.enqueue(conn, [row(), row("other"), row("third"), row("third")],
                              now=NOW) == 1
    rows = outbox_rows()
    assert [r["key"] for r in rows] == ["other", row()["key"], "third"]   # inserted in key order
    first = rows[1]
    assert (first["status"], first["attempts"], first["next_attempt_at"]) == (
        "queued", 0, first["not_before"])
    assert first["payload"] == '{"title":"Imunisasi Budi","body":"","url":"/keluarga/","tag":"t"}'


def test_enqueue_refuses_an_incomplete_row(app):
    with write_transaction() as conn, pytest.raises(ValueError, match="lacks"):
        outbox.enqueue(conn, [row(ttl=None)])
    with write_transaction() as conn, pytest.raises(ValueError, match="urgency"):
        outbox.enqueue(conn, [row(urgency="urgent")])


def test_two_connections_queueing_the_same_key_at_once_store_one_row(app):
    """PostgreSQL: the second INSERT waits on the first's uncommitted key, then skips it."""
    bind = engine()
    first = bind.connect()
    transaction = first.begin()
    assert outbox.enqueue(first, [row()], now=NOW) == 1
    results: list[int] = []

    def second() -> None:
        with bind.begin() as conn:
            results.append(outbox.enqueue(conn, [row()], now=NOW))

    if bind.dialect.name == "sqlite":
        transaction.commit()   # SQLite has one writer: the second runs after the first
        second()
    else:
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()   # blocked on the first transaction's key
        transaction.commit()
        thread.join(timeout=10)
    first.close()
    assert results == [0]
    assert len(outbox_rows()) == 1


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (5, 30, local(dt.date(2026, 12, 1), 7)),       # before the window: its opening
    (9, 15, local(dt.date(2026, 12, 1), 9, 15)),    # inside: now
    (22, 0, local(dt.date(2026, 12, 2), 7)),        # after it closed: the next morning
])
def test_not_before_is_the_window_in_the_puskesmas_time_zone(hour, minute, expected):
    now = local(dt.date(2026, 12, 1), hour, minute)
    assert outbox.not_before(now.astimezone(dt.UTC), dt.date(2026, 12, 1), *WINDOW,
                             ZONE) == expected
    # a reminder for a later day waits for that day's window
    assert outbox.not_before(now, dt.date(2026, 12, 5), *WINDOW, ZONE) == local(
        dt.date(2026, 12, 5), 7)


def test_the_window_follows_timezone_wit():
    wit = ZoneInfo("Asia/Jayapura")
    opens, closes = outbox.window_bounds(dt.date(2026, 12, 1), *WINDOW, wit)
    assert outbox.iso(opens) == "2026-11-30T22:00:00+00:00"
    assert outbox.iso(closes) == "2026-12-01T11:00:00+00:00"


def test_prune_expires_what_is_past_its_window_and_deletes_old_finished_rows(app):
    old = NOW - dt.timedelta(days=100)
    with write_transaction() as conn:
        outbox.enqueue(conn, [row("old-sent"), row("old-queued", expires_at=outbox.iso(old))],
                       now=old)
        outbox.enqueue(conn, [row("new-sent"), row("fresh")], now=NOW)
        conn.execute(sa.update(push_outbox).where(push_outbox.c.key.like("%-sent"))
                     .values(status="sent"))
        # the old sent row, and the old queued one once expired
        assert outbox.prune(conn, NOW, 90) == 2
    assert {r["key"]: r["status"] for r in outbox_rows()} == {"new-sent": "sent",
                                                               "fresh": "queued"}
    with write_transaction() as conn:
        assert outbox.expire(conn, NOW + dt.timedelta(days=2)) == 1
        assert outbox.prune(conn, NOW + dt.timedelta(days=3), 0) == 2   # all finished
    assert outbox_rows() == []
