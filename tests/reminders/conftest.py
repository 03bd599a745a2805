"""A household subscribed to reminders, written through the one write path: a baby with
immunizations coming, a mother, a father under monthly hypertension control, their Posyandu,
a consent and a family subscription; plus helpers to run the scheduler at a local moment."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend.clinical import due_list
from backend.clinical.config import default_config
from backend.clock import DEFAULT_TIMEZONE
from backend.db import engine, write_transaction
from backend.push import subscriptions
from backend.push.tables import push_outbox
from backend.reminders.scheduler import collect, context, schedule
from backend.writes import write_docs
from tests import factories as f

ZONE = ZoneInfo(DEFAULT_TIMEZONE)   # the tests' TIMEZONE (tests/conftest.py)
TODAY = dt.date.today()
assert os.environ["TZ"] == DEFAULT_TIMEZONE


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE)


def save(*docs: dict) -> None:
    with write_transaction() as conn:
        results = write_docs(conn, list(docs), None)
    assert all(r.get("ok") for r in results), results


def subscribe(kind: str = "family", **fields) -> str:
    raw = os.urandom(65)
    sub = subscriptions.Subscription(
        endpoint=f"https://push.example.org/{os.urandom(8).hex()}",
        p256dh=base64.urlsafe_b64encode(b"\x04" + raw[1:]).decode().rstrip("="),
        auth=base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("="))
    with write_transaction() as conn:
        return subscriptions.save(conn, sub, kind=kind, now=dt.datetime.now(dt.UTC), **fields)


def outbox_rows(**where) -> list[dict]:
    with engine().connect() as conn:
        query = sa.select(push_outbox).order_by(push_outbox.c.id)
        for name, value in where.items():
            query = query.where(push_outbox.c[name] == value)
        return [dict(row._mapping) for row in conn.execute(query)]


def run(now: dt.datetime, **overrides) -> dict:
    with write_transaction() as conn:
        return schedule(conn, now, **overrides)


def due(person: dict, history: list[dict], on: dt.date) -> dict:
    return due_list(default_config(), person=person, history=history, date=on.isoformat())


@pytest.fixture
def home(app, world):
    """The Santoso household of desa A, subscribed and consenting."""
    posyandu = f.place("posyandu", "Posyandu Melati", f.DESA_A,
                       parent=world.desa[f.DESA_A]["_id"], schedule_day=15)
    pustu = f.place("pustu", "Pustu Cikalong", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    house = f.household(posyandu=posyandu["_id"], head_name="Agus Prasetyo Santoso")
    father = f.person(name="Agus Prasetyo Santoso", sex="L", birth_date="1980-03-02",
                      nik="3204190203800001", household=house["_id"], relation="kepala")
    mother = f.person(name="Siti Aminah", household=house["_id"], relation="istri",
                      nik="3204195705940002")
    baby = f.person(name="Budi Santoso", sex="L",
                    birth_date=(TODAY - dt.timedelta(days=40)).isoformat(),
                    household=house["_id"], relation="anak", mother=mother["_id"])
    # The father's hypertension is known from an earlier visit: he is under monthly control.
    diagnosed = f.encounter(father, date=(TODAY - dt.timedelta(days=70)).isoformat(),
                            setting="pustu", diagnoses=[{"icd10": "I10"}])
    # Budi had his birth doses, so nothing is due for him today: a dose already due when the
    # family subscribes is reminded at once (tests/reminders/test_catch_up.py).
    birth_doses = f.encounter(baby, date=(TODAY - dt.timedelta(days=39)).isoformat(),
                              immunizations=[{"vaccine": "BCG", "dose": 1},
                                             {"vaccine": "OPV", "dose": 1}])
    save(posyandu, pustu, house, father, mother, baby, diagnosed, birth_doses)
    consent = {**f._base("subscription_consent", f.DESA_A), "household": house["_id"],
               "person": mother["_id"], "given_at": f.TS, "given_by": "Siti"}
    save(consent)
    sub = subscribe(household_id=house["_id"], consent_id=consent["_id"], desa=f.DESA_A)
    return SimpleNamespace(posyandu=posyandu, pustu=pustu, house=house, father=father,
                           mother=mother, baby=baby, birth_doses=birth_doses, diagnosed=diagnosed,
                           consent=consent, sub=sub, world=world)


def wanted(now: dt.datetime) -> list[dict]:
    """The outbox rows the rules want at `now`, without queueing them."""
    with engine().connect() as conn:
        rows, _ = collect(context(conn, now))
    return rows


def first_day(rule: str, start: dt.date = TODAY, days: int = 80, hour: int = 9) -> dt.date:
    """The first local day from `start` on which `rule` wants a message (at `hour`)."""
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if any(row["rule"] == rule for row in wanted(local(day, hour))):
            return day
    raise AssertionError(f"{rule} never fires in {days} days from {start}")


def payloads(rows: list[dict]) -> list[dict]:
    return [json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"]
            for row in rows]
