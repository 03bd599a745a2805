"""Staff digests beyond the Pustu: tasks referred to the Puskesmas reach the `klaster` users of
their cluster (one digest each, the task list), and a queued digest is re-checked at every run
while its day's window is open: rebuilt when its count changed, dropped when it fell to zero."""

from __future__ import annotations

import datetime as dt

from backend.auth.users import create_user
from backend.db import read_transaction, write_transaction
from backend.followup.inputs import bodies
from tests import factories as f
from tests.reminders.conftest import TODAY, local, outbox_rows, payloads, run, save, subscribe

YESTERDAY = local(TODAY - dt.timedelta(days=1), 10).isoformat()


def test_tasks_referred_to_the_puskesmas_reach_the_klaster_users_of_their_cluster(home):
    with write_transaction() as conn:
        create_user(conn, username="klaster3", password=f.PASSWORD, role="klaster",
                    display_name="Klaster Tiga", cluster="3", scopes=[f.DESA_A, f.DESA_B])
    puskesmas = home.world.puskesmas["_id"]
    save(f.task(home.father, assigned_place=puskesmas, cluster="2", created_at=YESTERDAY),
         f.task(home.mother, assigned_place=puskesmas, cluster="2", created_at=YESTERDAY),
         f.task(home.baby, assigned_place=puskesmas, cluster="3", created_at=YESTERDAY),
         f.task(home.baby, assigned_place=home.pustu["_id"], created_at=YESTERDAY))
    for name in ("klaster2", "klaster3", "kapus", "pustu_a"):
        subscribe(kind="staff", username=name)
    counts = run(local(TODAY, 9))
    assert counts["reminders"]["tugas_klaster"] == 2 and counts["reminders"]["tugas_baru"] == 1
    rows = {(r["username"], r["rule"]): r for r in outbox_rows(kind="staff")}
    assert set(rows) == {("klaster2", "tugas_klaster"), ("klaster3", "tugas_klaster"),
                         ("pustu_a", "tugas_baru")}      # kapus: no digest per task
    two = payloads([rows["klaster2", "tugas_klaster"]])[0]
    assert (two["title"], two["url"]) == ("2 tugas rujukan baru", "/#/tasks")
    assert two["body"] == ("Ada 2 tugas tindak lanjut baru yang dirujuk ke klaster Anda di "
                           "Puskesmas sejak kemarin.")
    one = payloads([rows["klaster3", "tugas_klaster"]])[0]
    assert (one["title"], one["url"]) == ("1 tugas rujukan baru", "/#/tasks")
    assert run(local(TODAY, 10))["queued"] == 0


def _done(task_id: str) -> None:
    with read_transaction() as conn:
        task = bodies(conn, [task_id])[task_id]
    save({**task, "status": "done", "outcome": "sudah dikunjungi"})


def test_a_queued_digest_is_rebuilt_when_its_count_changes_and_dropped_at_zero(home):
    tasks = [f.task(person, assigned_place=home.pustu["_id"], created_at=YESTERDAY)
             for person in (home.father, home.mother, home.baby)]
    save(*tasks)
    subscribe(kind="staff", username="pustu_a")
    assert run(local(TODAY, 9))["queued"] == 1
    [queued] = outbox_rows(kind="staff")
    assert payloads([queued])[0]["title"] == "3 tugas baru"
    _done(tasks[0]["_id"])
    counts = run(local(TODAY, 9, 10))
    assert (counts["queued"], counts["rebuilt"], counts["dropped"]) == (0, 1, 0)
    [row] = outbox_rows(kind="staff")
    assert (row["id"], row["key"], row["status"]) == (queued["id"], queued["key"], "queued")
    assert payloads([row])[0]["title"] == "2 tugas baru"
    assert "2 tugas" in payloads([row])[0]["body"]
    assert run(local(TODAY, 9, 20))["rebuilt"] == 0           # the same count: left alone
    _done(tasks[1]["_id"])
    _done(tasks[2]["_id"])
    counts = run(local(TODAY, 9, 30))
    assert (counts["rebuilt"], counts["dropped"]) == (0, 1)
    [row] = outbox_rows(kind="staff")
    assert row["status"] == "dropped" and "no longer due" in row["last_error"]


def test_a_digest_is_not_dropped_by_a_run_outside_its_window(home):
    save(f.task(home.father, assigned_place=home.pustu["_id"], created_at=YESTERDAY))
    subscribe(kind="staff", username="pustu_a")
    assert run(local(TODAY, 19, 50))["queued"] == 1
    # 20:10: today's window shut, nothing re-checked (not "no longer due"); the row expired
    # at its close.
    counts = run(local(TODAY, 20, 10))
    assert counts["dropped"] == 0
    assert [r["status"] for r in outbox_rows(kind="staff")] == ["expired"]
