"""Privacy over a demo-sized run: every household of a seeded demo subscribed and consenting,
every staff user with a device, the scheduler run over several days — and no payload holds a
NIK, a full name, a diagnosis or a result; each is {title, body, url, tag} under 3 KB, and a
family's leads to the family page where it can stop the reminders."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from backend.auth.tables import users
from backend.db import engine, read_transaction
from backend.demo import loader
from backend.projections.tables import households, persons
from backend.push.payload import MAX_BYTES
from tests import factories as f
from tests.reminders.conftest import local, outbox_rows, run, save, subscribe

DEMO_DAY = dt.date(2026, 8, 20)
DIAGNOSES = re.compile(r"hipertensi|diabetes|tekanan darah|gula darah|gizi|anemia|tbc|"
                       r"hamil|kek|stunting|\b[A-Z]\d\d(\.\d)?\b|mmhg|mg/dl|\d+[,.]\d+ ?kg",
                       re.IGNORECASE)


def test_no_payload_of_a_demo_sized_run_names_more_than_a_first_name(app):
    if engine().dialect.name != "sqlite":
        pytest.skip("payloads do not depend on the database; SQLite runs it")
    loader.seed(scale=0.125, seed=5, today=DEMO_DAY)
    with read_transaction() as conn:
        homes = conn.execute(sa.select(households.c.id, households.c.desa)).all()
        people = conn.execute(sa.select(persons.c.name, persons.c.nik)).all()
        staff = conn.execute(sa.select(users.c.username)).scalars().all()
    consents = [{**f._base("subscription_consent", desa), "household": home,
                 "given_at": f.TS, "given_by": "Keluarga"} for home, desa in homes]
    save(*consents)
    for consent in consents:
        subscribe(household_id=consent["household"], consent_id=consent["_id"])
    for username in staff:
        subscribe(kind="staff", username=username)
    seconds, cpu = [], []
    # the morning after the demo's last tasks (digest), the day after the demo, the day before
    # a Posyandu opens (the 1st), the tenth (monthly control)
    for day in (dt.date(2026, 8, 2), dt.date(2026, 8, 21), dt.date(2026, 8, 31),
                dt.date(2026, 9, 10)):
        counts = run(local(day, 9))
        seconds.append(counts["seconds"])
        cpu.append(counts["cpu_seconds"])
    print(f"\nscheduler over {counts['persons']} persons: {min(seconds):.2f} s, "
          f"{min(cpu):.2f} s CPU ({counts['persons'] / min(cpu):.0f} persons per CPU second)")
    rows = outbox_rows()
    assert {"imunisasi_jatuh_tempo", "posyandu_besok", "kontrol_bulanan",
            "tugas_baru"} <= {r["rule"] for r in rows}
    full_names = {name for name, _ in people if len(name.split()) > 1}
    niks = {nik for _, nik in people if nik}
    for row in rows:
        text = row["payload"]
        message = json.loads(text)
        assert set(message) == {"title", "body", "url", "tag"}
        assert len(text.encode()) <= MAX_BYTES
        words = f"{message['title']} {message['body']}"
        assert not re.search(r"\d{16}", words) and not any(nik in text for nik in niks)
        assert not [name for name in full_names if name in words], words
        assert not DIAGNOSES.search(words), words
        if row["kind"] == "family":
            assert message["url"] == "/keluarga/"
        else:
            assert message["url"].startswith("/#/")
