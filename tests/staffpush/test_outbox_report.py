"""GET /api/v1/push/outbox: counts by status and rule, the oldest waiting, recent failures and
the worker's jobs — for the admin and the Kepala Puskesmas only, and never a name or an
endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import write_transaction
from backend.push import outbox
from backend.push.report import scrubbed
from backend.push.tables import push_outbox

URL = "/api/v1/push/outbox"
SECRET_ENDPOINT = "https://fcm.googleapis.com/fcm/send/cZ9-SECRET-TOKEN"


def seed(now: dt.datetime) -> None:
    """Seven messages: two reminders waiting (one since yesterday), a sent one, a failed one
    whose error quotes the endpoint, a dropped one, one retrying after a 429."""
    day = dt.timedelta(days=1)

    def row(key, rule, created, **extra):
        return {"key": key, "subscription_id": f"sub-{key}", "kind": "family",
                "household_id": "household:rahasia", "rule": rule,
                "payload": {"title": "Imunisasi Budi"}, "ttl": 3600, "urgency": "normal",
                "not_before": outbox.iso(created), "expires_at": outbox.iso(now + day),
                "created_at": outbox.iso(created), **extra}
    with write_transaction() as conn:
        outbox.enqueue(conn, [
            row("a", "imunisasi_jatuh_tempo", now - day),
            row("b", "posyandu_besok", now),
            row("c", "imunisasi_jatuh_tempo", now),
            row("d", "imunisasi_jatuh_tempo", now),
            row("e", "tugas_baru", now, kind="staff", username="pustu_a", household_id=None),
            row("f", "posyandu_besok", now),
        ], now=now)
        for key, values in {
            "c": {"status": "sent", "sent_at": outbox.iso(now)},
            "d": {"status": "failed", "attempts": 5,
                  "last_error": f"500 Server Error for url: {SECRET_ENDPOINT}"},
            "e": {"status": "dropped", "last_error": "subscription gone (410)"},
            "f": {"last_error": "429 Too Many Requests", "attempts": 1},
        }.items():
            conn.execute(sa.update(push_outbox).where(push_outbox.c.key == key).values(**values))


@pytest.mark.parametrize("username", ["kader_a", "pustu_a", "klaster2", "dinkes", "fktp_a"])
def test_only_admin_and_kapus_read_the_outbox(login, world, username):
    response = login(username).get(URL)
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("username", ["admin", "kapus"])
def test_the_report_counts_and_explains_without_a_name_or_endpoint(login, world, username):
    now = clock.utc_now()
    seed(now)
    response = login(username).get(URL)
    assert response.status_code == 200, response.json
    report = response.json
    assert report["by_status"] == {"queued": 3, "sent": 1, "failed": 1, "dropped": 1,
                                   "expired": 0}
    assert {r["rule"]: (r["queued"], r["sent"], r["failed"]) for r in report["by_rule"]} == {
        "imunisasi_jatuh_tempo": (1, 1, 1), "posyandu_besok": (2, 0, 0),
        "tugas_baru": (0, 0, 0)}
    assert report["oldest_queued"]["rule"] == "imunisasi_jatuh_tempo"
    assert report["oldest_queued"]["created_at"] == outbox.iso(now - dt.timedelta(days=1))
    assert [(r["rule"], r["status"]) for r in report["failures"]] == [
        ("posyandu_besok", "queued"), ("tugas_baru", "dropped"),
        ("imunisasi_jatuh_tempo", "failed")]
    assert report["failures"][2]["last_error"] == (
        "500 Server Error for url: https://fcm.googleapis.com/…")
    text = response.get_data(as_text=True)
    for secret in ("SECRET", "rahasia", "pustu_a", "Budi", "sub-"):
        assert secret not in text, secret
    assert isinstance(report["jobs"], list)
    assert all({"name", "last_started_at", "ok", "worker_alive"} <= set(job)
               for job in report["jobs"])


def test_an_empty_outbox_reads_as_zeros(login, world):
    report = login("kapus").get(URL).json
    assert report["by_status"] == dict.fromkeys(
        ("queued", "sent", "failed", "dropped", "expired"), 0)
    assert (report["by_rule"], report["oldest_queued"], report["failures"]) == ([], None, [])


def test_an_error_keeps_only_the_host_of_every_url():
    assert scrubbed("410 Gone: https://push.example.org/wpush/v2/abc?x=1 and "
                    "http://10.0.0.1:8080/p") == (
        "410 Gone: https://push.example.org/… and http://10.0.0.1:8080/…")
    assert scrubbed(None) is None


def test_the_worker_jobs_say_when_a_job_last_ran(login, world, app):
    from backend.worker import runs  # noqa: PLC0415

    now = clock.utc_now()
    with write_transaction() as conn:
        runs.claim(conn, "conflicts", now - dt.timedelta(minutes=2), 60)
        runs.finish(conn, "conflicts", now - dt.timedelta(minutes=2), 12, None)
    jobs = {job["name"]: job for job in login("admin").get(URL).json["jobs"]}
    assert jobs["conflicts"]["ok"] is True and jobs["conflicts"]["runs"] == 1
    assert jobs["conflicts"]["worker_alive"] is False   # no worker holds a lease here
