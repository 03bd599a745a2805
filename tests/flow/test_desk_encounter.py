"""The cluster desk's encounter (docs/flow.md "Cluster desk"): one write path, in the
transaction that ties it to the queue entry; role, point and area checks; bad input refused
with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.auth.users import create_user, get_user
from backend.db import read_transaction, write_transaction
from backend.flow import desk
from backend.flow.errors import FlowError
from backend.flow.tables import flow_duty, flow_service_points
from tests import factories
from tests.flow import rows

VISIT = {"measurements": {"sbp": 150, "dbp": 95, "weight_kg": 70},
         "diagnoses": [{"icd10": "I10", "case": "baru"}],
         "prescriptions": [{"drug": "Amlodipin 5 mg", "dose": "1 x 1 tablet", "quantity": 30}],
         "notes": "Kontrol 1 bulan"}


def url(entry_id: int) -> str:
    return f"/api/v1/flow/entries/{entry_id}/encounter"


@pytest.fixture
def called(flow):
    """A man of 50 called to the Klaster 3 desk: (person, arrival id, entry id)."""
    man = rows.person(name="Pak Darto", sex="L", birth_date="1976-03-02")
    arrival = rows.arrival(man, cluster="3")
    return man, arrival, rows.entry(arrival, "k3")


def test_the_desk_records_the_encounter_and_ties_it_to_the_entry(world, login, called):
    man, _, entry_id = called
    doctor = login("dokter3")
    response = doctor.post(url(entry_id), json=VISIT)
    assert response.status_code == 201, response.json
    doc = response.json
    assert doc["_id"].startswith("encounter:") and doc["_rev"].startswith("1-")
    assert {k: doc[k] for k in ("person", "desa", "date", "setting", "place", "cluster",
                                "provider", "created_by")} == {
        "person": man["_id"], "desa": man["desa"], "date": dt.date.today().isoformat(),
        "setting": "puskesmas", "place": world.puskesmas["_id"], "cluster": "3",
        "provider": "Dokter3", "created_by": "dokter3"}
    assert doc["created_at"].endswith("Z")
    assert doc["prescriptions"] == VISIT["prescriptions"]
    entry = rows.entry_row(entry_id)
    assert (entry["encounter_id"], entry["status"], entry["served_by"]) == (
        doc["_id"], "in_service", "dokter3")
    assert entry["started_at"]
    with read_transaction() as conn:
        audited = conn.execute(sa.select(audit_log.c.actor, audit_log.c.target_id).where(
            audit_log.c.action == "document.write")).all()
    assert audited == [("dokter3", doc["_id"])]
    # Through the one write path: the person's record (desk mode) lists it.
    record = doctor.get(f"/api/v1/records/{man['_id']}").json
    assert [e["_id"] for e in record["encounters"]] == [doc["_id"]]


def test_an_entry_in_service_keeps_its_start(login, called):
    _, _, entry_id = called
    doctor = login("dokter3")
    with write_transaction() as conn:
        conn.execute(sa.text("UPDATE flow_queue_entries SET status = 'in_service', "
                             "started_at = '2026-11-30T01:05:00Z', served_by = 'kapus'"))
    assert doctor.post(url(entry_id), json=VISIT).status_code == 201
    entry = rows.entry_row(entry_id)
    assert (entry["started_at"], entry["served_by"]) == ("2026-11-30T01:05:00Z", "kapus")


def test_the_cluster_is_one_the_point_serves(login, flow):
    doctor = login("dokter3")
    girl = rows.person(name="Ani", birth_date="2012-01-01")
    # Routed to klaster 2 but seen at the klaster 3 room: the room's only cluster.
    entry_id = rows.entry(rows.arrival(girl, cluster="2"), "k3")
    before = rows.state()
    answer = doctor.post(url(entry_id), json={**VISIT, "cluster": "2"})
    assert answer.status_code == 422 and "cluster" in answer.json["errors"]["json"]
    assert rows.state() == before
    assert doctor.post(url(entry_id), json=VISIT).json["cluster"] == "3"


def test_a_shared_room_records_the_arrivals_cluster_or_the_one_asked(login, flow):
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_service_points).values(
            id="k23", label="Ruang bersama", kind="cluster", clusters='["2", "3"]',
            ticket_prefix="G", active=True, sort_order=9, updated_at=rows.STAMP,
            updated_by="admin"))
    doctor = login("dokter3")
    woman = rows.person()
    routed_2 = rows.entry(rows.arrival(woman, cluster="2"), "k23")
    assert doctor.post(url(routed_2), json=VISIT).json["cluster"] == "2"
    man = rows.person(name="Pak Udin", sex="L", birth_date="1960-01-01")
    routed_4 = rows.entry(rows.arrival(man, cluster="4"), "k23")
    before = rows.state()
    answer = doctor.post(url(routed_4), json=VISIT)
    assert answer.status_code == 422 and answer.json["code"] == "invalid"
    assert rows.state() == before
    assert doctor.post(url(routed_4), json={**VISIT, "cluster": "3"}).json["cluster"] == "3"


def test_all_or_nothing_when_the_entry_update_fails(login, called, monkeypatch):
    _, _, entry_id = called
    doctor = login("dokter3")
    before = rows.state()

    def broken(*args, **kwargs):
        raise RuntimeError("the entry update failed")

    monkeypatch.setattr(desk, "serve", broken)
    assert doctor.post(url(entry_id), json=VISIT).status_code == 500
    assert rows.state() == before   # neither the encounter nor its audit row nor the entry


def test_a_reference_the_store_refuses_changes_nothing(login, called):
    _, _, entry_id = called
    doctor = login("dokter3")
    before = rows.state()
    answer = doctor.post(url(entry_id), json={
        **VISIT, "pregnancy": "pregnancy:00000000-0000-4000-8000-000000000000"})
    assert (answer.status_code, answer.json["code"]) == (422, "reference_missing")
    assert rows.state() == before


@pytest.mark.parametrize("body, field", [
    ({"measurements": {"hb_gdl": 30}}, "measurements"),
    ({"measurements": {"sbp": 90, "dbp": 120}}, "measurements"),
    ({"diagnoses": [{"icd10": "hipertensi"}]}, "diagnoses"),
    ({"prescriptions": [{"drug": "Parasetamol", "quantity": 0}]}, "prescriptions"),
    ({"lab_orders": ["hb", "bukan_tes"]}, "lab_orders"),
])
def test_bad_clinical_input_is_refused_by_field(login, called, body, field):
    _, _, entry_id = called
    before = rows.state()
    answer = login("dokter3").post(url(entry_id), json=body)
    assert answer.status_code == 422, answer.json
    assert field in answer.json["errors"]["json"]
    assert rows.state() == before


@pytest.mark.parametrize("body", [{"person": "person:x"}, {"setting": "posyandu"},
                                  {"date": "2020-01-01"}, {"provider": "Dr. Lain"}])
def test_the_server_sets_who_where_and_when(login, called, body):
    _, _, entry_id = called
    before = rows.state()
    assert login("dokter3").post(url(entry_id), json=body).status_code == 422
    assert rows.state() == before


@pytest.mark.parametrize("username, status, code", [
    ("kader_a", 403, None), ("pustu_a", 403, None), ("dinkes", 403, None), ("fktp_a", 403, None),
    ("bidan2", 403, "not_your_point"), ("analis", 403, "not_your_point"),
])
def test_only_staff_of_the_point_record(login, called, username, status, code):
    _, _, entry_id = called
    before = rows.state()
    answer = login(username).post(url(entry_id), json=VISIT)
    assert answer.status_code == status
    assert answer.json.get("code") == code
    assert rows.state() == before


def test_staff_on_duty_at_the_point_and_the_kepala_record(login, flow, called):
    _, _, entry_id = called
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_duty).values(
            day=dt.date.today().isoformat(), service_point_id="k3", username="analis",
            created_at=rows.STAMP, created_by="kapus"))
    assert login("analis").post(url(entry_id), json=VISIT).json["provider"] == "Analis"
    woman = rows.person(name="Bu Kapus Pasien")
    other = rows.entry(rows.arrival(woman, cluster="3"), "k3", ticket="C-002")
    assert login("kapus").post(url(other), json=VISIT).status_code == 201


def test_a_person_outside_the_callers_area_is_not_found(app, login, flow):
    with write_transaction() as conn:
        create_user(conn, username="dokter3a", password=factories.PASSWORD, role="klaster",
                    display_name="Dokter A", cluster="3", scopes=[factories.DESA_A])
    other = rows.person(desa=factories.DESA_B)
    entry_id = rows.entry(rows.arrival(other, cluster="3"), "k3")
    answer = login("dokter3a").post(url(entry_id), json=VISIT)
    assert (answer.status_code, answer.json["code"]) == (404, "no_such_entry")
    unknown = login("dokter3").post(url(99999), json=VISIT)
    assert (unknown.status_code, unknown.json["code"]) == (404, "no_such_entry")


def test_an_inactive_point_is_not_found(login, called):
    _, _, entry_id = called
    with write_transaction() as conn:
        conn.execute(sa.update(flow_service_points).where(flow_service_points.c.id == "k3")
                     .values(active=False))
    answer = login("dokter3").post(url(entry_id), json=VISIT)
    assert (answer.status_code, answer.json["code"]) == (404, "no_such_point")


@pytest.mark.parametrize("status, code", [
    ("waiting", "bad_transition"), ("skipped", "bad_transition"), ("done", "entry_ended"),
    ("transferred", "entry_ended"), ("cancelled", "entry_ended")])
def test_only_a_called_or_served_entry_gets_an_encounter(login, flow, status, code):
    person = rows.person()
    entry_id = rows.entry(rows.arrival(person), "k3", status=status)
    before = rows.state()
    answer = login("dokter3").post(url(entry_id), json=VISIT)
    assert (answer.status_code, answer.json["code"]) == (409, code)
    assert rows.state() == before


def test_one_encounter_per_entry_and_none_at_the_lab_or_yesterday(login, called):
    _, arrival, entry_id = called
    doctor = login("dokter3")
    assert doctor.post(url(entry_id), json=VISIT).status_code == 201
    at_lab = rows.entry(arrival, "lab", ticket="L-001")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    old = rows.entry(rows.arrival(rows.person(), day=yesterday), "k3")
    before = rows.state()
    again = doctor.post(url(entry_id), json=VISIT)
    assert (again.status_code, again.json["code"]) == (409, "already_recorded")
    wrong = login("analis").post(url(at_lab), json=VISIT)
    assert (wrong.status_code, wrong.json["code"]) == (409, "wrong_point")
    stale = doctor.post(url(old), json=VISIT)
    assert (stale.status_code, stale.json["code"]) == (409, "other_day")
    assert rows.state() == before


@pytest.mark.parametrize("username, code", [("dinkes", "role"), ("pustu_b", "area")])
def test_a_write_the_store_refuses_for_the_writer_is_403_and_rolls_back(world, called,
                                                                        username, code):
    """The flow checks role and area before it writes; should the store still refuse (an
    account changed in between), the refusal is the store's 403 and nothing stays."""
    man, _, _ = called
    before = rows.state()
    with pytest.raises(FlowError) as refused, write_transaction() as conn:
        writer, _ = get_user(conn, username=username)
        doc = desk.new_encounter(conn, writer, person=man["_id"], desa=man["desa"],
                                 cluster="3", fields={"notes": "x"})
        desk.write_encounter(conn, doc, writer)
    assert (refused.value.status, refused.value.code) == (403, code)
    assert rows.state() == before
