"""The pharmacy (docs/flow.md "Lab and pharmacy"): the arrival's prescriptions with what was
handed over; dispensing checked against the prescription, by the pharmacy's staff only."""

from __future__ import annotations

import pytest

from tests.flow import rows

PRESCRIBED = [{"drug": "Amlodipin 5 mg", "dose": "1 x 1 tablet", "quantity": 30},
              {"drug": "Parasetamol 500 mg", "dose": "3 x 1 tablet", "quantity": 10,
               "instructions": "sesudah makan"}]


def dispense_url(entry_id: int) -> str:
    return f"/api/v1/flow/entries/{entry_id}/dispense"


def prescriptions_url(arrival_id: str) -> str:
    return f"/api/v1/flow/arrivals/{arrival_id}/prescriptions"


def prescribed(login, name: str = "Pak Darto") -> tuple[str, str, int]:
    """A man prescribed PRESCRIBED at the Klaster 3 desk, now called at the pharmacy:
    (arrival id, encounter id, pharmacy entry id)."""
    man = rows.person(name=name, sex="L", birth_date="1976-03-02")
    arrival = rows.arrival(man)
    desk = rows.entry(arrival, "k3")
    answer = login("dokter3").post(f"/api/v1/flow/entries/{desk}/encounter",
                                   json={"prescriptions": PRESCRIBED})
    assert answer.status_code == 201, answer.json
    rows.end(desk)
    return arrival, answer.json["_id"], rows.entry(arrival, "farmasi", ticket="F-001",
                                                   previous=desk)


@pytest.fixture
def at_pharmacy(flow, login):
    return prescribed(login)


def test_the_pharmacy_sees_the_prescriptions_and_marks_what_it_handed_over(login, at_pharmacy):
    arrival, encounter, entry_id = at_pharmacy
    pharmacist = login("apoteker")
    listed = pharmacist.get(prescriptions_url(arrival)).json
    assert [p["encounter"] for p in listed["prescriptions"]] == [encounter]
    assert [(i["index"], i["drug"], i["dispensed"], i["remaining"])
            for i in listed["prescriptions"][0]["items"]] == [
        (0, "Amlodipin 5 mg", 0, 30), (1, "Parasetamol 500 mg", 0, 10)]
    answer = pharmacist.post(dispense_url(entry_id), json={
        "encounter": encounter, "items": [{"index": 0, "quantity": 30},
                                          {"index": 1, "quantity": 6, "note": "sisa besok"}]})
    assert answer.status_code == 201, answer.json
    assert answer.json["items"] == [{"index": 0, "quantity": 30},
                                    {"index": 1, "quantity": 6, "note": "sisa besok"}]
    assert (answer.json["arrival_id"], answer.json["entry_id"], answer.json["encounter_id"],
            answer.json["dispensed_by"]) == (arrival, entry_id, encounter, "apoteker")
    assert rows.entry_row(entry_id)["status"] == "in_service"
    listed = pharmacist.get(prescriptions_url(arrival)).json
    assert [(i["dispensed"], i["remaining"]) for i in listed["prescriptions"][0]["items"]] == [
        (30, 0), (6, 4)]
    assert listed["dispensings"] == [answer.json]
    # The rest of a line later: never more than prescribed in all.
    more = pharmacist.post(dispense_url(entry_id), json={
        "encounter": encounter, "items": [{"index": 1, "quantity": 5}]})
    assert more.status_code == 422 and "items" in more.json["errors"]["json"]
    assert pharmacist.post(dispense_url(entry_id), json={
        "encounter": encounter, "items": [{"index": 1, "quantity": 4}]}).status_code == 201


@pytest.mark.parametrize("items", [
    [{"index": 0, "quantity": 31}],                 # more than prescribed
    [{"index": 2, "quantity": 1}],                  # no such line
    [{"index": -1, "quantity": 1}],
    [{"index": 0, "quantity": 0}],
    [{"index": 0, "quantity": 10}, {"index": 0, "quantity": 10}],   # one line twice
    [{"index": "0", "quantity": 1}],
    [],
])
def test_bad_items_are_refused_and_nothing_is_recorded(login, at_pharmacy, items):
    _, encounter, entry_id = at_pharmacy
    before = rows.state()
    answer = login("apoteker").post(dispense_url(entry_id),
                                    json={"encounter": encounter, "items": items})
    assert answer.status_code == 422, answer.json
    assert rows.state() == before


def test_a_prescription_of_another_arrival_is_refused(login, at_pharmacy):
    _, _, entry_id = at_pharmacy
    _, other_encounter, _ = prescribed(login, name="Pak Udin")
    before = rows.state()
    for encounter in (other_encounter, "encounter:00000000-0000-4000-8000-000000000000"):
        answer = login("apoteker").post(dispense_url(entry_id), json={
            "encounter": encounter, "items": [{"index": 0, "quantity": 1}]})
        assert answer.status_code == 422 and "encounter" in answer.json["errors"]["json"]
    assert rows.state() == before


@pytest.mark.parametrize("username, code", [("kader_a", None), ("pustu_a", None),
                                            ("dokter3", "not_your_point"),
                                            ("bidan2", "not_your_point")])
def test_only_the_pharmacys_staff_dispense_and_see_prescriptions(login, at_pharmacy, username,
                                                                 code):
    arrival, encounter, entry_id = at_pharmacy
    before = rows.state()
    caller = login(username)
    answer = caller.post(dispense_url(entry_id), json={
        "encounter": encounter, "items": [{"index": 0, "quantity": 1}]})
    assert (answer.status_code, answer.json.get("code")) == (403, code)
    listed = caller.get(prescriptions_url(arrival))
    assert (listed.status_code, listed.json.get("code")) == (403, code)
    assert rows.state() == before


def test_dispensing_needs_the_person_called_at_the_pharmacy(login, flow):
    arrival, encounter, entry_id = prescribed(login)
    rows.end(entry_id, "done")
    waiting = rows.entry(arrival, "farmasi", status="waiting", ticket="F-002")
    pharmacist = login("apoteker")
    before = rows.state()
    for target, code in ((entry_id, "entry_ended"), (waiting, "bad_transition")):
        answer = pharmacist.post(dispense_url(target), json={
            "encounter": encounter, "items": [{"index": 0, "quantity": 1}]})
        assert (answer.status_code, answer.json["code"]) == (409, code)
    unknown = pharmacist.get(prescriptions_url("no-such-arrival"))
    assert (unknown.status_code, unknown.json["code"]) == (404, "no_such_arrival")
    assert rows.state() == before


def test_a_visit_from_the_loket_through_desk_and_lab_to_the_pharmacy(login, flow):
    """The issue's flow over the queue's own endpoints (backend/api/flow/queue.py): registered
    at the loket, called at Klaster 3, GDS ordered, transferred to the lab, result recorded,
    back to the desk (same ticket), prescription, pharmacy, done; every record in the history."""
    man = rows.person(name="Pak Darto", sex="L", birth_date="1976-03-02")
    doctor, analyst, pharmacist = login("dokter3"), login("analis"), login("apoteker")
    registered = login("loket1").post("/api/v1/flow/arrivals", json={
        "person": man["_id"], "payer": "jkn", "new_patient": False, "complaint": "Pusing"})
    assert registered.status_code == 201, registered.json
    arrival = registered.json["arrival"]["id"]
    assert registered.json["entry"]["service_point"] == "k3"

    def call(session, point):
        answer = session.post(f"/api/v1/flow/queues/{point}/call-next")
        assert answer.status_code == 200, answer.json
        return answer.json

    def transfer(session, entry, to):
        answer = session.post(f"/api/v1/flow/entries/{entry['id']}/transfer", json={"to": to})
        assert answer.status_code == 200, answer.json
        return answer.json["next"]

    desk = call(doctor, "k3")
    first = doctor.post(f"/api/v1/flow/entries/{desk['id']}/encounter", json={
        "measurements": {"sbp": 150, "dbp": 95}, "lab_orders": ["gds"]}).json
    order = doctor.post(f"/api/v1/flow/entries/{desk['id']}/lab-orders",
                        json={"tests": ["gds"]}).json
    transfer(doctor, desk, "lab")
    at_lab = call(analyst, "lab")
    results = analyst.post(f"/api/v1/flow/lab-orders/{order['id']}/results",
                           json={"results": [{"test": "gds", "value": 250}]})
    assert results.status_code == 201, results.json
    back = transfer(analyst, at_lab, "k3")
    assert back["ticket"] == desk["ticket"]   # the return keeps its place
    again = call(doctor, "k3")
    second = doctor.post(f"/api/v1/flow/entries/{again['id']}/encounter", json={
        "diagnoses": [{"icd10": "E11.9", "case": "baru"}], "prescriptions": PRESCRIBED})
    assert second.status_code == 201, second.json
    transfer(doctor, again, "farmasi")
    at_pharmacy = call(pharmacist, "farmasi")
    listed = pharmacist.get(prescriptions_url(arrival)).json["prescriptions"]
    assert [p["encounter"] for p in listed] == [second.json["_id"]]
    assert pharmacist.post(dispense_url(at_pharmacy["id"]), json={
        "encounter": second.json["_id"],
        "items": [{"index": 0, "quantity": 30}, {"index": 1, "quantity": 10}]}
    ).status_code == 201
    done = pharmacist.post(f"/api/v1/flow/entries/{at_pharmacy['id']}/done", json={})
    assert done.status_code == 200, done.json
    detail = pharmacist.get(f"/api/v1/flow/entries/{at_pharmacy['id']}").json
    assert [(e["service_point"], e["status"], e["encounter_id"]) for e in detail["history"]] == [
        ("k3", "transferred", first["_id"]), ("lab", "transferred", results.json["_id"]),
        ("k3", "transferred", second.json["_id"]), ("farmasi", "done", None)]
    assert [o["result_encounter_id"] for o in detail["lab_orders"]] == [results.json["_id"]]
    assert len(detail["dispensings"]) == 1
