"""Lab orders and results (docs/flow.md "Lab and pharmacy"): the results are one encounter
through the one write path, so they reach the person's record and the follow-up derivation;
bad results are refused with nothing written."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import sqlalchemy as sa

from backend.clinical import default_config
from backend.db import read_transaction
from backend.flow import lab
from backend.flow.desk import Invalid
from backend.projections.tables import tasks
from backend.sync import reads
from tests.flow import rows
from tests.followup.conftest import expected

HB, GLUCOSE, URIC_ACID, HIV = rows.HB, "gds", "asam_urat", "hiv"   # config/ilp/lab.json


def order_url(entry_id: int) -> str:
    return f"/api/v1/flow/entries/{entry_id}/lab-orders"


def results_url(order_id: int) -> str:
    return f"/api/v1/flow/lab-orders/{order_id}/results"


@pytest.fixture
def ordered(flow, login):
    """A pregnant woman seen at the Klaster 2 desk, Hb, glucose and HIV ordered, now called at
    the lab: (woman, order, lab entry id)."""
    woman = rows.pregnant_woman()
    arrival = rows.arrival(woman, cluster="2")
    desk_entry = rows.entry(arrival, "k2", ticket="B-001")
    answer = login("bidan2").post(order_url(desk_entry),
                                  json={"tests": [HB, GLUCOSE, HIV], "note": "ANC K1"})
    assert answer.status_code == 201, answer.json
    rows.end(desk_entry)
    return woman, answer.json, rows.entry(arrival, "lab", ticket="L-001",
                                          previous=desk_entry)


def test_the_desk_orders_tests_and_the_lab_lists_them(login, flow):
    man = rows.person(name="Pak Darto", sex="L", birth_date="1976-03-02")
    entry_id = rows.entry(rows.arrival(man), "k3")
    answer = login("dokter3").post(order_url(entry_id), json={"tests": [HB, URIC_ACID, HB]})
    assert answer.status_code == 201, answer.json
    order = answer.json
    assert order["tests"] == [HB, URIC_ACID]
    assert (order["entry_id"], order["ticket"], order["service_point"]) == (entry_id, "C-001",
                                                                            "k3")
    assert order["person"] == {"id": man["_id"], "name": "Pak Darto", "sex": "L",
                               "birth_date": "1976-03-02", "desa": man["desa"]}
    assert rows.entry_row(entry_id)["status"] == "in_service"
    assert login("analis").get("/api/v1/flow/lab-orders").json == [order]
    again = login("dokter3").post(order_url(entry_id), json={"tests": [HIV]})
    assert (again.status_code, again.json["code"]) == (409, "already_ordered")


@pytest.mark.parametrize("tests", [[], ["bukan_tes"], [HB, "bukan_tes"]])
def test_an_order_of_unknown_tests_is_refused(login, flow, tests):
    entry_id = rows.entry(rows.arrival(rows.person()), "k3")
    before = rows.state()
    answer = login("dokter3").post(order_url(entry_id), json={"tests": tests})
    assert answer.status_code == 422
    assert rows.state() == before


@pytest.mark.parametrize("username, code", [("kader_a", None), ("pustu_a", None),
                                            ("analis", "not_your_point"),
                                            ("bidan2", "not_your_point")])
def test_only_the_desks_staff_order(login, flow, username, code):
    entry_id = rows.entry(rows.arrival(rows.person()), "k3")
    before = rows.state()
    answer = login(username).post(order_url(entry_id), json={"tests": [HB]})
    assert (answer.status_code, answer.json.get("code")) == (403, code)
    assert rows.state() == before


@pytest.mark.parametrize("username, status, code", [
    ("kader_a", 403, None), ("dokter3", 403, "not_your_point"), ("bidan2", 403, "not_your_point"),
    ("apoteker", 200, None),   # lintas klaster, like the lab: the lab is one of its points
])
def test_only_the_labs_staff_see_its_orders(login, ordered, username, status, code):
    answer = login(username).get("/api/v1/flow/lab-orders")
    assert answer.status_code == status
    if status == 403:
        assert answer.json.get("code") == code
    else:
        assert [o["tests"] for o in answer.json] == [[HB, GLUCOSE, HIV]]


def test_a_lab_hb_of_9_5_in_pregnancy_lands_in_the_record_and_derives_the_anaemia_task(
        login, ordered):
    woman, order, lab_entry = ordered
    analyst = login("analis")
    answer = analyst.post(results_url(order["id"]), json={
        "results": [{"test": HB, "value": 9.5}, {"test": GLUCOSE, "value": 95},
                    {"test": HIV, "result": "non_reaktif"}], "glucose_type": "GDS"})
    assert answer.status_code == 201, answer.json
    doc = answer.json
    assert {k: doc[k] for k in ("person", "setting", "cluster", "provider", "date")} == {
        "person": woman["_id"], "setting": "puskesmas", "cluster": "lintas",
        "provider": "Analis", "date": dt.date.today().isoformat()}
    assert doc["measurements"] == {"hb_gdl": 9.5, "glucose_mgdl": 95, "glucose_type": "GDS"}
    assert doc["lab_results"] == [{"test": HIV, "result": "non_reaktif"}]
    listed = analyst.get("/api/v1/flow/lab-orders?open=false").json
    assert [(o["id"], o["result_encounter_id"], o["resulted_by"]) for o in listed] == [
        (order["id"], doc["_id"], "analis")]
    assert analyst.get("/api/v1/flow/lab-orders").json == []
    assert rows.entry_row(lab_entry)["encounter_id"] == doc["_id"]
    record = login("bidan2").get(f"/api/v1/records/{woman['_id']}").json
    assert doc["_id"] in [e["_id"] for e in record["encounters"]]
    # The normal derivation: the visit's findings -> follow-up tasks (docs/followup.md).
    with read_transaction() as conn:
        pregnancy = reads.get_doc(conn, record["pregnancies"][0]["_id"], None,
                                  reads.ReadOptions())
        derived = conn.execute(sa.select(tasks.c.rule).where(
            tasks.c.origin_id == doc["_id"])).scalars().all()
    due = expected(woman, doc, pregnancy)
    assert any(rule.startswith("anemia") for rule in due)
    assert sorted(derived) == sorted(due)


@pytest.mark.parametrize("results, glucose_type", [
    ([{"test": HB, "value": 30}], None),                    # outside the input limits
    ([{"test": HB, "value": 0.5}], None),
    ([{"test": HB, "result": "rendah"}], None),             # a number test given a code
    ([{"test": HIV, "result": "mungkin"}], None),           # a code the test does not allow
    ([{"test": URIC_ACID, "value": 6}], None),              # not ordered
    ([{"test": "bukan_tes", "value": 1}], None),            # unknown
    ([{"test": HB, "value": 11}, {"test": HB, "value": 12}], None),  # twice
    ([{"test": GLUCOSE, "value": 120}], "GDP"),             # not the type of the test
    ([], None),
])
def test_bad_results_are_refused_and_nothing_is_written(login, ordered, results, glucose_type):
    _, order, _ = ordered
    before = rows.state()
    body = {"results": results, **({"glucose_type": glucose_type} if glucose_type else {})}
    answer = login("analis").post(results_url(order["id"]), json=body)
    assert answer.status_code == 422, answer.json
    assert rows.state() == before


def test_results_are_recorded_once(login, ordered):
    _, order, _ = ordered
    analyst = login("analis")
    assert analyst.post(results_url(order["id"]),
                        json={"results": [{"test": HB, "value": 12.1}]}).status_code == 201
    before = rows.state()
    again = analyst.post(results_url(order["id"]), json={"results": [{"test": HB, "value": 12}]})
    assert (again.status_code, again.json["code"]) == (409, "already_resulted")
    unknown = analyst.post(results_url(99999), json={"results": [{"test": HB, "value": 12}]})
    assert (unknown.status_code, unknown.json["code"]) == (404, "no_such_order")
    assert rows.state() == before


@pytest.mark.parametrize("username, code", [("kader_a", None), ("dokter3", "not_your_point"),
                                            ("bidan2", "not_your_point")])
def test_only_the_labs_staff_record_results(login, ordered, username, code):
    _, order, _ = ordered
    before = rows.state()
    answer = login(username).post(results_url(order["id"]),
                                  json={"results": [{"test": HB, "value": 12}]})
    assert (answer.status_code, answer.json.get("code")) == (403, code)
    assert rows.state() == before


def test_all_or_nothing_when_marking_the_order_fails(login, ordered, monkeypatch):
    _, order, _ = ordered
    before = rows.state()

    def broken(*args, **kwargs):
        raise RuntimeError("the order update failed")

    monkeypatch.setattr(lab, "_mark_resulted", broken)
    answer = login("analis").post(results_url(order["id"]),
                                  json={"results": [{"test": HB, "value": 9.5}]})
    assert answer.status_code == 500
    assert rows.state() == before   # no encounter, no task, no audit row, order still open


def test_the_desk_orders_after_recording_its_encounter(login, flow):
    entry_id = rows.entry(rows.arrival(rows.person()), "k3")
    doctor = login("dokter3")
    assert doctor.post(f"/api/v1/flow/entries/{entry_id}/encounter",
                       json={"lab_orders": [HB]}).status_code == 201
    answer = doctor.post(order_url(entry_id), json={"tests": [HB]})
    assert answer.status_code == 201, answer.json
    assert rows.entry_row(entry_id)["status"] == "in_service"


def test_a_glucose_test_without_its_type_in_lab_json_takes_the_body_s():
    config = copy.deepcopy(default_config())
    config["lab"]["tests"].append({"code": "gula", "kind": "measurement",
                                   "measurement": "glucose_mgdl", "short": "Gula darah"})
    results = [{"test": "gula", "value": 140}]
    assert lab.result_fields(config, ["gula"], results, "GDP") == {
        "measurements": {"glucose_mgdl": 140, "glucose_type": "GDP"}}
    with pytest.raises(Invalid) as refused:
        lab.result_fields(config, ["gula"], results)
    assert "glucose_type" in refused.value.errors
    assert lab.result_fields(config, ["gds"], [{"test": "gds", "value": 99}], "GDS") == {
        "measurements": {"glucose_mgdl": 99, "glucose_type": "GDS"}}
