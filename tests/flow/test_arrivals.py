"""Registration at the loket (docs/flow.md "Registration (loket) and queues"): the routing rule's
proposal, the clerk's choice, one open visit per person and day, the day's list."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.flow import queue
from backend.flow.tables import flow_arrivals, flow_queue_entries, flow_service_points
from tests import factories
from tests.flow.queue_world import CHILD, ELDER, add_person, register, registered, snapshot

API = "/api/v1/flow"


@pytest.fixture
def loket(flow, login):
    return login("loket1")


def refused(call, status: int, code: str) -> dict:
    before = snapshot()
    response = call()
    assert response.status_code == status, response.json
    assert response.json.get("code") == code, response.json
    assert snapshot() == before
    return response.json


def test_registration_routes_by_life_stage_and_records_the_arrival(loket):
    person = add_person(name="Siti Aminah", sex="P", birth_date=ELDER, nik="3204190101500001")
    answer = registered(loket, person, complaint="pusing", payer="umum", new_patient=True,
                        disability=True)
    arrival, entry, route = answer["arrival"], answer["entry"], answer["route"]
    assert route["cluster"] == "3" and route["priority"] == "priority"
    assert set(route["priority_groups"]) == {"lansia", "disabilitas"}
    assert (arrival["proposed_cluster"], arrival["cluster"]) == ("3", "3")
    assert (arrival["complaint"], arrival["payer"], arrival["new_patient"]) == (
        "pusing", "umum", True)
    assert arrival["day"] == queue.today() and arrival["created_by"] == "loket1"
    assert arrival["person"] == {"id": person["_id"], "name": "Siti Aminah", "sex": "P",
                                 "birth_date": ELDER, "desa": factories.DESA_A,
                                 "nik": "3204190101500001"}
    assert (entry["service_point"], entry["ticket"], entry["status"]) == ("k3", "C-001", "waiting")
    assert entry["priority"] == "priority" and entry["arrival_id"] == arrival["id"]


@pytest.mark.parametrize(("fields", "body", "point", "priority"), [
    ({"birth_date": CHILD}, {}, "k2", "normal"),
    ({}, {"emergency": True}, "ugd", "emergency"),
    ({}, {"symptoms": ["batuk", "keringat_malam", "bb_turun"]}, "k4", "normal"),
    ({}, {"cluster": "4"}, "k4", "normal"),                # the clerk overrides the proposal
    ({}, {"service_point": "lab"}, "lab", "normal"),       # or sends to a room directly
])
def test_the_proposal_decides_the_room_unless_the_clerk_changes_it(loket, fields, body, point,
                                                                   priority):
    entry = registered(loket, add_person(**fields), **body)["entry"]
    assert (entry["service_point"], entry["priority"]) == (point, priority)


def test_one_open_visit_per_person_and_day(loket, login):
    person = add_person()
    entry = registered(loket, person)["entry"]
    problem = refused(lambda: register(loket, person), 409, "already_queued")
    assert "C-001" in problem["detail"]
    refused(lambda: register(loket, person, cluster="4"), 409, "already_queued")
    desk = login("dokter3")
    desk.post(f"{API}/queues/k3/call-next")
    desk.post(f"{API}/entries/{entry['id']}/skip")       # a no-show may still be recalled
    refused(lambda: register(loket, person), 409, "already_queued")
    assert desk.post(f"{API}/entries/{entry['id']}/cancel").status_code == 200
    again = registered(loket, person)                    # a second visit the same day
    assert again["entry"]["ticket"] == "C-002"


def test_yesterdays_leftover_is_closed_not_blocking(loket):
    person = add_person()
    yesterday = (dt.date.fromisoformat(queue.today()) - dt.timedelta(days=1)).isoformat()
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_arrivals).values(
            id="old", day=yesterday, person_id=person["_id"], desa=factories.DESA_A,
            payer="jkn", new_patient=False, emergency=False, disability=False, symptoms="[]",
            priority="normal", priority_groups="[]", proposed_cluster="3", cluster="3",
            created_at="2026-01-01T01:00:00.000Z", created_by="loket1"))
        conn.execute(sa.insert(flow_queue_entries).values(
            arrival_id="old", person_id=person["_id"], service_point_id="k3", day=yesterday,
            ticket="C-040", priority_rank=2, queued_at="2026-01-01T01:00:00.000Z",
            status="waiting", created_at="2026-01-01T01:00:00.000Z", created_by="loket1",
            call_count=0))
    entry = registered(loket, person)["entry"]
    assert (entry["service_point"], entry["ticket"]) == ("k3", "C-001")
    with read_transaction() as conn:
        old = conn.execute(sa.select(flow_queue_entries)
                           .where(flow_queue_entries.c.arrival_id == "old")).one()
    assert old.status == "cancelled" and old.ended_at and "tidak selesai" in old.reason


def test_bad_registrations_change_nothing(loket):
    person = add_person()
    refused(lambda: register(loket, {"_id": "person:tidak-ada"}), 404, "no_such_person")
    refused(lambda: register(loket, {"_id": "household:x"}), 404, "no_such_person")
    refused(lambda: register(loket, person, service_point="poli-umum"), 404, "no_such_point")
    refused(lambda: register(loket, person, service_point="loket"), 422, "invalid_input")
    refused(lambda: register(loket, person, symptoms=["pilek_berat"]), 422, "invalid_input")
    response = loket.post(f"{API}/arrivals", json={"person": person["_id"], "payer": "bpjs"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"payer", "new_patient"}


def test_a_cluster_without_an_active_room_is_a_clear_409(loket):
    with write_transaction() as conn:
        conn.execute(sa.update(flow_service_points).where(flow_service_points.c.id == "k2")
                     .values(active=False))
    problem = refused(lambda: register(loket, add_person(birth_date=CHILD)), 409, "no_point")
    assert "Klaster 2" in problem["detail"]


def test_a_person_outside_the_area_is_not_found(flow, login):
    with write_transaction() as conn:
        outside = factories.person("3204190099", name="Orang Luar")
        factories.write_unchecked(conn, [outside])
    loket = login("loket1")
    refused(lambda: register(loket, outside), 404, "no_such_person")


def test_only_the_loket_registers(flow, login):
    person = add_person()
    desk = login("dokter3")
    refused(lambda: register(desk, person), 403, "not_your_point")
    assert register(login("kapus"), person).status_code == 201


def test_the_days_arrivals_with_their_current_entry(loket, login):
    adi = registered(loket, add_person(name="Adi Saputra"))
    beni = registered(loket, add_person(name="Beni Putra", nik="3204190101900002"))
    desk = login("dokter3")
    desk.post(f"{API}/queues/k3/call-next")
    moved = desk.post(f"{API}/entries/{adi['entry']['id']}/transfer", json={"to": "lab"}).json
    listed = loket.get(f"{API}/arrivals").json
    assert listed["day"] == queue.today()
    assert [item["arrival"]["id"] for item in listed["items"]] == [
        beni["arrival"]["id"], adi["arrival"]["id"]]           # newest first
    assert listed["items"][1]["entry"]["id"] == moved["next"]["id"]
    assert listed["items"][1]["entry"]["service_point"] == "lab"
    found = loket.get(f"{API}/arrivals", query_string={"q": "adi"}).json["items"]
    assert [item["arrival"]["person"]["name"] for item in found] == ["Adi Saputra"]
    by_nik = loket.get(f"{API}/arrivals", query_string={"q": "3204190101900002"}).json["items"]
    assert [item["arrival"]["id"] for item in by_nik] == [beni["arrival"]["id"]]
    other_day = loket.get(f"{API}/arrivals", query_string={"day": "2026-01-01"}).json
    assert other_day["items"] == []
    assert desk.get(f"{API}/arrivals").json["code"] == "not_your_point"
