"""Who receives what: consent (revoked → nothing queued, queued rows dropped), staff digests
("2 tugas baru", refused records) and the family page's upcoming list."""

from __future__ import annotations

import datetime as dt
import uuid

from backend.auth.users import get_user
from backend.db import read_transaction
from backend.followup.inputs import bodies
from backend.reminders.upcoming import upcoming
from backend.sync import revtree
from backend.writes import save_docs
from tests import factories as f
from tests.reminders.conftest import (
    TODAY,
    first_day,
    local,
    outbox_rows,
    payloads,
    run,
    save,
    subscribe,
    wanted,
)


def test_a_revoked_consent_queues_nothing_and_drops_what_was_queued(home):
    day = first_day("imunisasi_jatuh_tempo")
    assert run(local(day, 9))["queued"] == 1
    with read_transaction() as conn:
        consent = bodies(conn, [home.consent["_id"]])[home.consent["_id"]]
    save({**consent, "revoked_at": "2026-01-06T08:00:00+07:00"})
    counts = run(local(day, 9, 30))
    assert (counts["households"], counts["queued"], counts["dropped"]) == (0, 0, 1)
    assert [r["status"] for r in outbox_rows()] == ["dropped"]
    assert wanted(local(day, 9)) == []


def test_a_household_without_consent_or_subscription_gets_nothing(home, world):
    other = f.household(head_name="Joko Widodo")
    child = f.person(name="Ani Susanti", birth_date=home.baby["birth_date"],
                     household=other["_id"], relation="anak")
    save(other, child)
    subscribe(household_id=other["_id"], desa=f.DESA_A)     # subscribed, never consented
    day = first_day("imunisasi_jatuh_tempo")
    assert {r["household_id"] for r in wanted(local(day, 9))} == {home.house["_id"]}


def _staff_world(home):
    pustu_b = f.place("pustu", "Pustu Mekarjaya", f.DESA_B,
                      parent=home.world.desa[f.DESA_B]["_id"])
    neighbour = f.person(desa=f.DESA_B, name="Wati Rahayu")
    yesterday = local(TODAY - dt.timedelta(days=1), 10).isoformat()
    old = local(TODAY - dt.timedelta(days=3), 10).isoformat()
    tasks = [f.task(home.father, assigned_place=home.pustu["_id"], created_at=yesterday),
             f.task(home.mother, assigned_place=home.pustu["_id"], created_at=yesterday),
             f.task(home.baby, assigned_place=home.pustu["_id"], created_at=old),
             f.task(home.baby, assigned_place=home.pustu["_id"], created_at=yesterday,
                    status="done", outcome="sudah dikunjungi"),
             f.task(neighbour, assigned_place=pustu_b["_id"], created_at=yesterday)]
    save(pustu_b, neighbour, *tasks)
    devices = {name: subscribe(kind="staff", username=name)
               for name in ("pustu_a", "pustu_b", "kader_a")}
    return tasks, devices


def test_pustu_staff_get_one_digest_of_new_tasks_a_day(home):
    tasks, devices = _staff_world(home)
    assert [r for r in wanted(local(TODAY, 6)) if r["kind"] == "staff"] == []   # window shut
    counts = run(local(TODAY, 9))
    assert counts["reminders"]["tugas_baru"] == 2 and counts["staff"] == 3
    rows = {r["username"]: r for r in outbox_rows(kind="staff")}
    assert set(rows) == {"pustu_a", "pustu_b"}
    assert payloads([rows["pustu_a"]])[0] == {
        "title": "2 tugas baru", "url": "/#/tasks", "tag": rows["pustu_a"]["topic"],
        "body": "Ada 2 tugas tindak lanjut baru untuk Pustu Anda sejak kemarin."}
    assert payloads([rows["pustu_b"]])[0]["url"] == f"/#/task/{tasks[4]['_id']}"
    assert rows["pustu_a"]["subscription_id"] == devices["pustu_a"]
    assert run(local(TODAY, 15))["queued"] == 0
    assert len(outbox_rows(kind="staff")) == 2


def test_a_user_gets_one_digest_of_the_records_the_server_refused(home):
    person = f.person(name="Sri Mulyani")
    task = f.task(person)
    rev = save_docs([person, task], None)[1]["rev"]
    with read_transaction() as conn:
        kader = get_user(conn, username="kader_a")[0]
    for status in ("done", "cancelled"):   # two offline edits a kader may not make
        pos, parent = revtree.parse_rev(rev)
        rev_id = uuid.uuid4().hex
        edit = {**task, "status": status, "_rev": f"{pos + 1}-{rev_id}",
                "_revisions": {"start": pos + 1, "ids": [rev_id, parent]}}
        assert save_docs([edit], kader, new_edits=False)[0]["code"] == "role"
    subscribe(kind="staff", username="kader_a")
    # The refusals belong to the digest of the first window that opens after them.
    now_local = dt.datetime.now(local(TODAY, 0).tzinfo)
    day = TODAY if now_local.hour < 7 else TODAY + dt.timedelta(days=1)
    run(local(day, 9))
    [row] = outbox_rows(rule="dokumen_ditolak")
    assert payloads([row])[0]["title"] == "2 catatan ditolak"
    assert payloads([row])[0]["url"] == "/#/sync" and row["username"] == "kader_a"


def test_upcoming_lists_the_households_coming_reminders_by_first_name(home):
    items = upcoming_of(home, TODAY)
    assert items == sorted(items, key=lambda e: (e["date"], e["remind_on"], e["first_name"],
                                                 e["rule"]))
    assert {e["first_name"] for e in items} <= {"Agus", "Siti", "Budi", "Agus, Siti dan Budi"}
    kinds = {(e["first_name"], e["kind"]) for e in items}
    assert ("Budi", "Imunisasi") in kinds and ("Agus", "Periksa rutin bulanan") in kinds
    posyandu = [e for e in items if e["rule"] == "posyandu_besok"]
    assert [dt.date.fromisoformat(e["date"]).day for e in posyandu] == [15]
    for entry in items:
        assert set(entry) == {"first_name", "kind", "date", "remind_on", "rule"}
        assert entry["remind_on"] >= TODAY.isoformat()


def upcoming_of(home, on: dt.date) -> list[dict]:
    with read_transaction() as conn:
        return upcoming(conn, home.house["_id"], on)


def test_upcoming_needs_no_consent(home):
    """The family page shows what a household would receive before it consents."""
    other = f.household(head_name="Joko Widodo")
    child = f.person(name="Ani Susanti", birth_date=home.baby["birth_date"],
                     household=other["_id"], relation="anak")
    save(other, child)
    with read_transaction() as conn:
        assert any(e["first_name"] == "Ani" for e in upcoming(conn, other["_id"], TODAY))
