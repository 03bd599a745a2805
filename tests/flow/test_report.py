"""Klaster 1's day report (docs/flow.md "Day report"): medians and p90 on a hand-made day, a
month with a line per day, and who may read it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from backend.db import write_transaction
from backend.flow import report
from backend.flow.tables import (
    flow_arrivals,
    flow_calls,
    flow_queue_entries,
    flow_staff_assignments,
)

BASE = "/api/v1/flow/report"
POINTS = [
    {"id": "k3", "label": "Ruang Klaster 3", "kind": "cluster", "active": True, "sort_order": 2},
    {"id": "loket", "label": "Loket", "kind": "registration", "active": True, "sort_order": 0},
    {"id": "lama", "label": "Ruang lama", "kind": "cluster", "active": False, "sort_order": 9},
]


def at(minutes: float) -> str:
    """A stamp `minutes` after 08:00 UTC on 2026-11-30."""
    stamp = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def entry(n, point, status, created, called=None, started=None, ended=None, day="2026-11-30"):
    return {"id": n, "service_point_id": point, "day": day, "status": status,
            "created_at": at(created), "started_at": started and at(started),
            "ended_at": ended and at(ended), "_called": called}


def summarise(entries, arrivals=(), start="2026-11-30", end="2026-11-30", period="day"):
    first_calls = {e["id"]: at(e["_called"]) for e in entries if e["_called"] is not None}
    return report.summarise(period=period, start=start, end=end, points=POINTS,
                            arrivals=arrivals, entries=entries, first_calls=first_calls)


def test_median_is_the_middle_and_p90_the_nearest_rank():
    assert report.median([]) is None and report.p90([]) is None
    assert report.median([5]) == 5 and report.p90([5]) == 5
    assert report.median([1, 3, 11, 20]) == 7          # the mean of the two middle ones
    assert report.p90(list(range(1, 11))) == 9        # rank ceil(9.0) = 9
    assert report.p90(list(range(1, 12))) == 10       # rank ceil(9.9) = 10
    assert report.p90([30, 10, 20]) == 30             # rank ceil(2.7) = 3


def test_a_hand_made_day():
    entries = [
        # waited 10, 20, 30, 40 minutes (created -> first call); served 5, 15, 25 minutes
        entry(1, "k3", "done", 0, called=10, started=11, ended=16),
        entry(2, "k3", "transferred", 0, called=20, started=20, ended=35),
        entry(3, "k3", "done", 5, called=35, started=36, ended=61),
        entry(4, "k3", "skipped", 5, called=45),                 # a no-show
        entry(5, "k3", "cancelled", 50),                         # left before being called
        entry(6, "k3", "waiting", 55),                           # still waiting at the end
        entry(7, "loket", "transferred", 0, called=1, started=1, ended=3),
    ]
    arrivals = [{"day": "2026-11-30", "cluster": c, "payer": p, "new_patient": n}
                for c, p, n in (("3", "jkn", False), ("3", "umum", True), ("2", "jkn", False),
                                ("4", "jkn", True), ("lintas", "jkn", False))]
    got = summarise(entries, arrivals)
    assert got["visits"] == 5
    assert got["by_cluster"] == {"2": 1, "3": 2, "4": 1, "lintas": 1}
    assert got["by_payer"] == {"jkn": 4, "umum": 1} and got["new_patients"] == 2
    assert [p["service_point"] for p in got["points"]] == ["loket", "k3"]   # inactive, empty: out
    k3 = got["points"][1]
    assert k3["entries"] == 6 and k3["served"] == 3
    assert k3["waiting"] == {"count": 4, "median_s": 25 * 60, "p90_s": 40 * 60}
    assert k3["service"] == {"count": 3, "median_s": 15 * 60, "p90_s": 25 * 60}
    assert (k3["skipped"], k3["cancelled"], k3["unserved"]) == (1, 1, 1)
    loket = got["points"][0]
    assert loket["waiting"] == {"count": 1, "median_s": 60, "p90_s": 60}
    assert got["days"] == [{"day": "2026-11-30", "visits": 5, "served": 4, "skipped": 1,
                            "cancelled": 1}]


def test_a_skipped_person_recalled_and_served_is_no_no_show():
    got = summarise([entry(1, "k3", "skipped", 0, called=5, started=9)])
    assert got["points"][1]["skipped"] == 0 and got["points"][1]["served"] == 1


def test_a_month_has_a_line_for_every_day():
    entries = [entry(1, "k3", "done", 0, called=10, started=10, ended=20, day="2026-11-02"),
               entry(2, "k3", "skipped", 0, called=30, day="2026-11-30")]
    arrivals = [{"day": "2026-11-02", "cluster": "3", "payer": "jkn", "new_patient": False},
                {"day": "2026-11-30", "cluster": "3", "payer": "jkn", "new_patient": False}]
    got = summarise(entries, arrivals, start="2026-11-01", end="2026-11-30", period="month")
    assert len(got["days"]) == 30 and got["visits"] == 2
    assert got["days"][1] == {"day": "2026-11-02", "visits": 1, "served": 1, "skipped": 0,
                              "cancelled": 0}
    assert got["days"][29]["skipped"] == 1 and got["days"][0]["visits"] == 0
    assert got["points"][1]["waiting"]["count"] == 2


def test_periods():
    today = dt.date(2026, 11, 30)
    assert report.period_of(None, None, today) == ("day", "2026-11-30", "2026-11-30")
    assert report.period_of(None, "2024-02", today) == ("month", "2024-02-01", "2024-02-29")
    with pytest.raises(report.FlowError):
        report.period_of(today, "2026-11", today)


def _day_in_the_database():
    """Two people at k3 today: one waited 10 minutes and was served 5, one a no-show."""
    with write_transaction() as conn:
        for n, status in ((1, "done"), (2, "skipped")):
            arrival = str(uuid.uuid4())
            conn.execute(flow_arrivals.insert().values(
                id=arrival, day="2026-11-30", person_id=f"person:{n}", desa="3204190001",
                complaint=None, payer="jkn", new_patient=False, emergency=False,
                disability=False, symptoms="[]", priority="normal", priority_groups="[]",
                proposed_cluster="3", cluster="3", created_at=at(0), created_by="loket1"))
            entry_id = conn.execute(flow_queue_entries.insert().values(
                arrival_id=arrival, person_id=f"person:{n}", service_point_id="k3",
                day="2026-11-30", ticket=f"C-00{n}", priority_rank=2, queued_at=at(0),
                status=status, created_at=at(0), created_by="loket1", called_at=at(10),
                call_count=1, started_at=at(12) if n == 1 else None,
                ended_at=at(17) if n == 1 else None)).inserted_primary_key[0]
            for minute in (10, 14):                       # a recall does not move the wait
                conn.execute(flow_calls.insert().values(
                    entry_id=entry_id, service_point_id="k3", ticket=f"C-00{n}",
                    day="2026-11-30", called_at=at(minute)))


@pytest.mark.parametrize("user", ["kapus", "admin", "loket1"])
def test_kapus_admin_and_klaster_1_read_the_report(app, flow, login, user):
    _day_in_the_database()
    response = login(user).get(f"{BASE}?day=2026-11-30")
    assert response.status_code == 200, response.json
    k3 = next(p for p in response.json["points"] if p["service_point"] == "k3")
    assert k3["waiting"] == {"count": 2, "median_s": 600, "p90_s": 600}
    assert k3["service"] == {"count": 1, "median_s": 300, "p90_s": 300}
    assert (k3["served"], k3["skipped"]) == (1, 1)
    assert response.json["by_cluster"] == {"3": 2}
    assert "person:1" not in response.get_data(as_text=True)
    month = login(user).get(f"{BASE}?month=2026-11")
    assert month.status_code == 200 and month.json["period"] == "month"
    assert len(month.json["days"]) == 30 and month.json["visits"] == 2


@pytest.mark.parametrize("user", ["klaster2", "dokter3", "analis", "kader_a", "pustu_a",
                                  "dinkes", "fktp_a"])
def test_others_may_not_read_it(app, flow, login, user):
    response = login(user).get(BASE)
    assert response.status_code == 403


def test_staff_assigned_to_klaster_1_read_it(app, flow, login):
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_staff_assignments).values(
            username="bidan2", cluster="1", position="anggota", competencies="[]",
            updated_at=at(0), updated_by="kapus"))
    assert login("bidan2").get(BASE).status_code == 200


@pytest.mark.parametrize("query", ["day=2026-11-31", "month=2026-13", "month=2026-1",
                                   "day=2026-11-30&month=2026-11"])
def test_a_bad_period_is_refused(app, flow, login, query):
    response = login("kapus").get(f"{BASE}?{query}")
    assert response.status_code == 422


def test_anonymous_gets_401(app, flow, client):
    assert client.get(BASE).status_code == 401
