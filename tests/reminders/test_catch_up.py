"""A dose already due when a family subscribes is reminded at the next run — once (the missed
reminder's own key), within the rule's `send_within_days` of subscribing, and only to a
subscription made since the reminder's day (an older one had its reminder then)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend.db import write_transaction
from backend.push import outbox
from backend.push.tables import push_subscriptions
from tests import factories as f
from tests.reminders.conftest import TODAY, due, local, outbox_rows, payloads, run, save


def _rina(home) -> tuple[dict, dt.date, dt.date]:
    """A 40-day-old baby without her birth doses: BCG and OPV 1 due since birth."""
    baby = f.person(name="Rina Wulandari", sex="P",
                    birth_date=(TODAY - dt.timedelta(days=40)).isoformat(),
                    household=home.house["_id"], relation="anak", mother=home.mother["_id"])
    save(baby)
    items = [i for i in due(baby, [], TODAY)["items"]
             if i["kind"] == "immunization" and i["status"] == "due"]
    assert {i["code"] for i in items} == {"BCG-1", "OPV-1"}
    return (baby, dt.date.fromisoformat(items[0]["due_from"]),
            dt.date.fromisoformat(min(i["due_until"] for i in items)))


def test_a_dose_already_due_when_the_family_subscribed_is_reminded_once(home):
    baby, due_from, due_until = _rina(home)
    counts = run(local(TODAY, 9))
    assert counts["reminders"] == {"imunisasi_jatuh_tempo": 1}
    [row] = outbox_rows(rule="imunisasi_jatuh_tempo")
    assert row["key"] == (f"imunisasi_jatuh_tempo|{home.sub}|{baby['_id']}|"
                          f"{due_from.isoformat()}+0")
    assert payloads([row])[0]["title"] == "Imunisasi Rina"
    assert row["not_before"] == outbox.iso(local(TODAY, 9))
    last = min(TODAY + dt.timedelta(days=1), due_until)       # send_within_days 2
    assert row["expires_at"] == outbox.iso(local(last, 20))
    assert run(local(TODAY, 15))["queued"] == 0
    assert run(local(TODAY + dt.timedelta(days=1), 9))["queued"] == 0
    assert len(outbox_rows(rule="imunisasi_jatuh_tempo")) == 1


def test_no_catch_up_for_a_subscription_older_than_the_reminder_or_past_its_allowance(home):
    baby, due_from, _ = _rina(home)
    with write_transaction() as conn:      # subscribed before Rina's doses fell due
        conn.execute(sa.update(push_subscriptions).where(
            push_subscriptions.c.id == home.sub).values(
            created_at=outbox.iso(local(due_from - dt.timedelta(days=5), 9))))
    assert run(local(TODAY, 9))["queued"] == 0
    with write_transaction() as conn:      # subscribed today, the scheduler first runs in 2 days
        conn.execute(sa.update(push_subscriptions).where(
            push_subscriptions.c.id == home.sub).values(created_at=outbox.iso(local(TODAY, 8))))
    run(local(TODAY + dt.timedelta(days=2), 9))
    assert not [r for r in outbox_rows() if baby["_id"] in r["key"]]
