"""GET /persons/<id>/due: the clinical due list over the person's synced record."""

from __future__ import annotations

import datetime as dt

from backend.writes import save_docs
from tests import factories as f


def infant(days_old: int, desa: str = f.DESA_A) -> dict:
    born = (dt.date.today() - dt.timedelta(days=days_old)).isoformat()
    return f.person(desa=desa, name="Bayi Putra", sex="L", birth_date=born)


def statuses(items: list[dict]) -> dict[str, str]:
    return {item["code"]: item["status"] for item in items}


def test_due_list_reflects_the_immunizations_recorded(login):
    baby = infant(95)
    born = baby["birth_date"]
    visit = f.encounter(baby, date=born, setting="puskesmas", immunizations=[
        {"vaccine": "HB0", "dose": 1, "date": born}, {"vaccine": "BCG", "dose": 1, "date": born},
        {"vaccine": "OPV", "dose": 1, "date": born}])
    assert all(r["ok"] for r in save_docs([baby, visit], None))
    response = login("pustu_a").get(f"/api/v1/persons/{baby['_id']}/due")
    assert response.status_code == 200
    due = response.json
    assert due["life_stage"] == "bayi" and due["age"]["days"] == 95
    seen = statuses(due["items"])
    assert seen["BCG-1"] == "done"
    assert seen["DPT-HB-Hib-1"] in {"due", "overdue"}


def test_due_list_on_a_given_date(login):
    baby = infant(10)
    save_docs([baby], None)
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    due = login("pustu_a").get(f"/api/v1/persons/{baby['_id']}/due?date={later}").json
    assert due["date"] == later and due["age"]["days"] == 70


def test_due_list_of_another_desa_is_not_found(login):
    baby = infant(30, desa=f.DESA_B)
    save_docs([baby], None)
    assert login("pustu_a").get(f"/api/v1/persons/{baby['_id']}/due").status_code == 404


def test_bad_date_is_named(login):
    baby = infant(30)
    save_docs([baby], None)
    response = login("pustu_a").get(f"/api/v1/persons/{baby['_id']}/due?date=besok")
    assert response.status_code == 422 and "date" in response.json["errors"]["query"]
