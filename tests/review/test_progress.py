"""How far review has come (backend/review/progress.py, GET /api/v1/review/progress): records of
the month per desa by record date, how many reviewed, the share, open flags and duplicates."""

from __future__ import annotations

import datetime as dt

from backend import clock
from backend.db import write_transaction
from backend.projections.tables import duplicate_pairs
from backend.pws.months import current_month
from tests import factories as f
from tests.review.queue_world import child, flag, store, weighing

URL = "/api/v1/review/progress"


def now_stamp() -> str:
    """Now as a tablet writes it (its own offset): a registration of this local month."""
    return clock.now().isoformat(timespec="seconds")


def test_progress_counts_the_months_records_verdicts_flags_and_duplicates(login):
    month = current_month()
    first, second = store(child(name="Anak Satu", created_at=now_stamp()),
                          child(name="Anak Dua", created_at=now_stamp()))
    store(child(name="Anak Satu", created_at=now_stamp(), merged_into=first["_id"]))
    visit, = store(weighing(first, days_ago=0))
    mother, = store(f.person(name="Ibu Lama"))   # registered in January (factories.TS)
    earlier = (month.first_day - dt.timedelta(days=40)).isoformat()
    unknown = {k: v for k, v in f.pregnancy(mother, created_at=now_stamp()).items() if k != "hpht"}
    store(f.pregnancy(mother, hpht=earlier),   # dated by its HPHT
          unknown)                             # no HPHT: by its registration day
    flag(visit)
    flag(second, rule="nik_tanggal_lahir", detail="NIK menyebut lahir 1996, catatan 2025")
    with write_transaction() as conn:
        a, b = sorted([first["_id"], second["_id"]])
        conn.execute(duplicate_pairs.insert().values(
            person_a=a, person_b=b, desa_a=f.DESA_A, desa_b=f.DESA_A, score=0.9,
            reasons="nama_mirip", date=clock.today()))
    reviewer = login("klaster2")
    decided = reviewer.post("/api/v1/review/decisions",
                            json={"decision": "benar", "records": [first["_id"], visit["_id"]]})
    assert decided.status_code == 200, decided.json

    response = reviewer.get(URL, query_string={"month": str(month)})

    assert response.status_code == 200, response.json
    assert response.json == {"month": str(month), "desa": [
        # open flags: the planted one, and the pregnancy without HPHT (hamil_tanpa_hpht)
        {"desa": f.DESA_A, "name": "Cikalong", "records": 4, "reviewed": 2, "share": 0.5,
         "open_flags": 2, "duplicates": 1},
        {"desa": f.DESA_B, "name": "Mekarjaya", "records": 0, "reviewed": 0, "share": None,
         "open_flags": 0, "duplicates": 0}]}


def test_progress_is_for_reviewers_and_refuses_a_month_to_come(login):
    month = current_month()
    assert login("pustu_a").get(URL, query_string={"month": str(month)}).status_code == 403
    assert login("dinkes").get(URL, query_string={"month": str(month)}).status_code == 403
    coming = login("kapus").get(URL, query_string={"month": str(month.shift(1))})
    assert coming.status_code == 422
