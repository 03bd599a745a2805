"""Each rule family from real documents written through the one write path: the dates come
from the clinical evaluator's due lists, the scheduler queues one row per reminder and
subscription, and a re-run queues nothing twice."""

from __future__ import annotations

import datetime as dt
import threading

from backend.clinical.dates import add_months
from backend.db import engine
from backend.push import outbox
from backend.push.payload import tanggal
from backend.reminders.scheduler import schedule
from tests import factories as f
from tests.reminders.conftest import (
    TODAY,
    due,
    first_day,
    local,
    outbox_rows,
    payloads,
    run,
    save,
    wanted,
)


def test_a_dose_coming_is_reminded_three_days_before_and_on_the_day(home):
    day = first_day("imunisasi_jatuh_tempo")
    items = [i for i in due(home.baby, [home.birth_doses], day)["items"]
             if i["kind"] == "immunization" and i["status"] == "upcoming"]
    due_from = dt.date.fromisoformat(min(i["due_from"] for i in items))
    assert due_from == day + dt.timedelta(days=3)
    counts = run(local(day, 9))
    assert counts["queued"] == 1 and counts["reminders"] == {"imunisasi_jatuh_tempo": 1}
    [row] = outbox_rows(rule="imunisasi_jatuh_tempo")
    assert payloads([row]) == [{
        "title": "Imunisasi Budi", "url": "/keluarga/", "tag": row["topic"],
        "body": f"Jadwal imunisasi Budi mulai {tanggal(due_from)}. Datang ke Posyandu atau Pustu."}]
    assert (row["subscription_id"], row["household_id"], row["kind"]) == (
        home.sub, home.house["_id"], "family")
    assert (row["ttl"], row["urgency"], row["status"]) == (86400, "normal", "queued")
    assert row["not_before"] == outbox.iso(local(day, 9))
    assert row["expires_at"] == outbox.iso(local(day + dt.timedelta(days=1), 20))
    # Run again, later that day and the next: nothing twice.
    assert run(local(day, 9, 5))["queued"] == 0
    assert run(local(day + dt.timedelta(days=1), 8))["queued"] == 0
    assert len(outbox_rows(rule="imunisasi_jatuh_tempo")) == 1
    # On the day itself: the second offset, its own row (same topic: one collapses the other).
    counts = run(local(due_from, 9))
    rows = outbox_rows(rule="imunisasi_jatuh_tempo")
    assert [r["key"].rsplit("|", 1)[1] for r in rows] == [
        f"{due_from.isoformat()}-3", f"{due_from.isoformat()}+0"]
    assert rows[0]["topic"] == rows[1]["topic"]


def test_a_reminder_computed_at_22_waits_for_the_window_next_morning(home):
    day = first_day("imunisasi_jatuh_tempo")
    run(local(day, 22))
    [row] = outbox_rows(rule="imunisasi_jatuh_tempo")
    assert row["not_before"] == outbox.iso(local(day + dt.timedelta(days=1), 7))
    assert row["next_attempt_at"] == row["not_before"]


def _baby_turning_late_today() -> dict:
    """A baby whose first doses (BCG, OPV 1) leave their ideal window today."""
    for days in range(50, 80):
        baby = f.person(name="Rina Wulandari", sex="P",
                        birth_date=(TODAY - dt.timedelta(days=days)).isoformat())
        late = [i for i in due(baby, [], TODAY)["items"] if i["status"] == "overdue"
                and i["kind"] == "immunization"
                and dt.date.fromisoformat(i["due_until"]) + dt.timedelta(days=1) == TODAY]
        if late:
            return baby
    raise AssertionError("no birth date makes a dose late today")


def test_an_overdue_dose_is_reminded_and_dropped_once_given(home):
    baby = {**_baby_turning_late_today(), "household": home.house["_id"], "relation": "anak"}
    save(baby)
    assert run(local(TODAY, 9))["reminders"].get("imunisasi_terlambat") == 1
    [row] = outbox_rows(rule="imunisasi_terlambat")
    assert payloads([row])[0]["title"] == "Imunisasi Rina belum lengkap"
    given = f.encounter(baby, date=TODAY.isoformat(), immunizations=[
        {"vaccine": "BCG", "dose": 1}, {"vaccine": "OPV", "dose": 1}])
    save(given)
    counts = run(local(TODAY, 10))
    assert counts["dropped"] >= 1
    [row] = outbox_rows(rule="imunisasi_terlambat")
    assert row["status"] == "dropped" and "no longer due" in row["last_error"]


def test_the_posyandu_day_is_announced_the_day_before_to_a_household_with_someone_due(home):
    day = first_day("posyandu_besok", days=35)
    session = day + dt.timedelta(days=1)
    assert session.day == 15
    run(local(day, 9))
    [message] = payloads(outbox_rows(rule="posyandu_besok"))
    assert message["title"] == "Posyandu Melati besok"
    assert message["body"].startswith(f"Posyandu Melati buka {tanggal(session)}. Ditunggu: ")
    assert {"Agus", "Siti", "Budi"} <= set(message["body"].split(": ")[1].rstrip(".")
                                           .replace(" dan ", ", ").split(", "))
    # Not on the day itself, and not at night before it (tomorrow is then "today").
    assert not [r for r in wanted(local(session, 9)) if r["rule"] == "posyandu_besok"]
    assert not [r for r in wanted(local(day, 22)) if r["rule"] == "posyandu_besok"]


def test_monthly_control_follows_the_evaluators_item_and_names_no_disease(home):
    day = first_day("kontrol_bulanan", days=40)
    assert day.day == 10
    run(local(day, 9))
    [row] = outbox_rows(rule="kontrol_bulanan")
    [message] = payloads([row])
    assert message["title"] == "Periksa rutin Agus"
    month_end = add_months(day.replace(day=1), 1) - dt.timedelta(days=1)
    assert message["body"] == ("Agus belum periksa rutin bulan ini. Datang ke Posyandu atau "
                               f"Pustu sebelum {tanggal(month_end)}.")
    assert row["key"].split("|")[2] == home.father["_id"]


def test_a_delivery_today_brings_the_kn_and_kf_visits(home):
    newborn = f.person(name="Bayi Ny. Siti", sex="P", birth_date=TODAY.isoformat(),
                       household=home.house["_id"], relation="anak",
                       mother=home.mother["_id"])
    delivered = f.pregnancy(home.mother, hpht=(TODAY - dt.timedelta(days=275)).isoformat(),
                            status="delivered",
                            delivery={"date": TODAY.isoformat(), "babies": [newborn["_id"]]})
    save(newborn, delivered)
    counts = run(local(TODAY, 9))
    assert counts["reminders"].get("kn_kunjungan") == 1
    assert counts["reminders"].get("kf_kunjungan") == 1
    kn = outbox_rows(rule="kn_kunjungan")[0]
    kf = outbox_rows(rule="kf_kunjungan")[0]
    assert kn["urgency"] == kf["urgency"] == "high"
    assert payloads([kf])[0]["title"] == "Kunjungan nifas Siti"
    # a newborn named after the mother is greeted by the first word that is a name
    assert payloads([kn])[0]["title"] == "Kunjungan bayi Bayi"


def test_the_next_anc_contact_is_reminded_without_saying_pregnant(home):
    pregnant = f.person(name="Dewi Lestari", household=home.house["_id"], relation="menantu",
                        birth_date="1999-04-01")
    pregnancy = f.pregnancy(pregnant, hpht=(TODAY - dt.timedelta(weeks=10)).isoformat())
    save(pregnant, pregnancy)
    day = first_day("anc_kunjungan", days=60)
    run(local(day, 9))
    [message] = payloads(outbox_rows(rule="anc_kunjungan"))
    assert message["title"] == "Jadwal periksa Dewi"
    assert "hamil" not in (message["title"] + message["body"]).lower()


def test_vitamin_a_month_is_reminded_three_days_before(home):
    toddler = f.person(name="Tono Saputra", sex="L", household=home.house["_id"],
                       relation="anak", birth_date=(TODAY - dt.timedelta(days=500)).isoformat())
    save(toddler)
    month = next(add_months(TODAY.replace(day=1), n) for n in range(1, 8)
                 if add_months(TODAY.replace(day=1), n).month in (2, 8))
    day = first_day("vitamin_a", start=month - dt.timedelta(days=6), days=10)
    assert day == month - dt.timedelta(days=3)
    run(local(day, 9))
    titles = [m["title"] for m in payloads(outbox_rows(rule="vitamin_a"))]
    assert "Vitamin A untuk Tono" in titles


def test_two_schedulers_at_once_queue_each_reminder_once(app, home):
    """Two workers' scheduler runs in two transactions at the same moment (PostgreSQL; SQLite
    has one writer, so there they run one after the other)."""
    day = first_day("imunisasi_jatuh_tempo")
    if engine().dialect.name == "sqlite":
        results = [run(local(day, 9)), run(local(day, 9))]
    else:
        barrier = threading.Barrier(2)
        results = []

        def worker() -> None:
            with app.app_context(), engine().begin() as conn:
                barrier.wait(timeout=10)
                results.append(schedule(conn, local(day, 9)))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(r["queued"] for r in results) == [0, 1]
    assert len(outbox_rows(rule="imunisasi_jatuh_tempo")) == 1
