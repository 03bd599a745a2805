"""Queues per service point (docs/flow.md "Registration (loket) and queues"): call order, every
step of an entry and its refusals, transfers and the history they leave, a return's place."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from backend.flow import access, queue
from backend.flow.errors import FlowError
from backend.flow.tables import flow_arrivals, flow_calls, flow_queue_entries
from tests import factories
from tests.flow.queue_world import ELDER, add_person, registered, snapshot

API = "/api/v1/flow"


@pytest.fixture
def loket(flow, login):
    return login("loket1")


@pytest.fixture
def desk(flow, login):
    return login("dokter3")


def step(session, entry: dict | int, name: str, **body):
    entry_id = entry if isinstance(entry, int) else entry["id"]
    return session.post(f"{API}/entries/{entry_id}/{name}", json=body)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.json
    return response.json


def refused(session, call, status: int, code: str) -> dict:
    """The request is refused with `status` and `code`, and no queue table changed."""
    before = snapshot()
    response = call()
    assert response.status_code == status, response.json
    assert response.json["code"] == code, response.json
    assert response.json["detail"]  # a sentence for the desk, in Bahasa Indonesia
    assert snapshot() == before
    return response.json


def test_emergency_first_then_priority_groups_then_first_come(loket, desk):
    first = registered(loket, add_person(name="Adi"))["entry"]
    elder = registered(loket, add_person(name="Eyang", birth_date=ELDER))["entry"]
    urgent = registered(loket, add_person(name="Darurat"), emergency=True, cluster="3")["entry"]
    later = registered(loket, add_person(name="Beni"))["entry"]
    assert [e["ticket"] for e in (first, elder, urgent, later)] == [
        "C-001", "C-002", "C-003", "C-004"]  # tickets in order of arrival
    assert (elder["priority"], elder["priority_groups"]) == ("priority", ["lansia"])
    assert urgent["priority"] == "emergency"

    view = ok(desk.get(f"{API}/queues/k3"))
    order = [urgent["id"], elder["id"], first["id"], later["id"]]
    assert [e["id"] for e in view["waiting"]] == order
    called = [ok(desk.post(f"{API}/queues/k3/call-next"))["id"] for _ in order]
    assert called == order
    refused(desk, lambda: desk.post(f"{API}/queues/k3/call-next"), 409, "queue_empty")


def test_an_entry_walks_waiting_called_in_service_done(loket, desk):
    entry = registered(loket, add_person())["entry"]
    called = ok(desk.post(f"{API}/queues/k3/call-next"))
    assert (called["id"], called["status"], called["call_count"]) == (entry["id"], "called", 1)
    started = ok(step(desk, entry, "start"))
    assert (started["status"], started["served_by"]) == ("in_service", "dokter3")
    assert started["started_at"] >= called["called_at"]
    done = ok(step(desk, entry, "done"))
    assert done["status"] == "done" and done["ended_at"] >= started["started_at"]
    view = ok(desk.get(f"{API}/queues/k3"))
    assert view["done_count"] == 1 and view["waiting"] == view["in_service"] == []
    counts = {p["id"]: p["counts"] for p in ok(desk.get(f"{API}/points"))["points"]}
    assert counts == {"k3": {"waiting": 0, "called": 0, "in_service": 0, "done": 1}}


@pytest.mark.parametrize(("status", "name"), [
    ("waiting", "start"), ("waiting", "skip"), ("waiting", "done"), ("waiting", "recall"),
    ("called", "done"), ("in_service", "skip"), ("in_service", "recall"),
    ("in_service", "start"), ("skipped", "start"), ("skipped", "done"), ("skipped", "skip")])
def test_a_step_from_the_wrong_status_is_refused(loket, desk, status, name):
    entry = registered(loket, add_person())["entry"]
    path = {"waiting": [], "called": ["call"], "in_service": ["call", "start"],
            "skipped": ["call", "skip"]}[status]
    for taken in path:
        ok(desk.post(f"{API}/queues/k3/call-next") if taken == "call"
           else step(desk, entry, taken))
    problem = refused(desk, lambda: step(desk, entry, name), 409, "bad_transition")
    assert entry["ticket"] in problem["detail"]


@pytest.mark.parametrize("ending", ["done", "cancel", "transfer"])
def test_an_ended_entry_takes_no_step_and_nothing_changes(loket, desk, ending):
    entry = registered(loket, add_person())["entry"]
    ok(desk.post(f"{API}/queues/k3/call-next"))
    ok(step(desk, entry, "start"))
    ok(step(desk, entry, ending, **({"to": "lab"} if ending == "transfer" else {})))
    for name in ("recall", "start", "skip", "done", "cancel"):
        refused(desk, lambda name=name: step(desk, entry, name), 409, "entry_ended")
    refused(desk, lambda: step(desk, entry, "transfer", to="farmasi"), 409, "entry_ended")


def test_a_no_show_is_skipped_and_recalled_each_call_on_the_display(loket, desk):
    entry = registered(loket, add_person())["entry"]
    ok(desk.post(f"{API}/queues/k3/call-next"))
    ok(step(desk, entry, "recall"))   # called again while waiting at the door
    skipped = ok(step(desk, entry, "skip"))
    assert skipped["status"] == "skipped" and skipped["ended_at"] is None
    assert [e["id"] for e in ok(desk.get(f"{API}/queues/k3"))["skipped"]] == [entry["id"]]
    recalled = ok(step(desk, entry, "recall"))
    assert (recalled["status"], recalled["call_count"]) == ("called", 3)
    with read_transaction() as conn:
        calls = conn.execute(sa.select(flow_calls.c.entry_id, flow_calls.c.ticket,
                                       flow_calls.c.service_point_id, flow_calls.c.called_at)
                             .order_by(flow_calls.c.id)).all()
    assert [(c.entry_id, c.ticket, c.service_point_id) for c in calls] == [
        (entry["id"], "C-001", "k3")] * 3
    assert calls[-1].called_at == recalled["called_at"]


def test_cancel_keeps_the_reason(loket, desk):
    entry = registered(loket, add_person())["entry"]
    cancelled = ok(step(desk, entry, "cancel", reason="pulang, antre terlalu lama"))
    assert cancelled["status"] == "cancelled"
    assert cancelled["reason"] == "Batal: pulang, antre terlalu lama"


def test_transfer_chain_is_the_visit_history(loket, desk, login):
    lab, pharmacy = login("analis"), login("apoteker")
    entry = registered(loket, add_person())["entry"]
    ok(desk.post(f"{API}/queues/k3/call-next"))
    ok(step(desk, entry, "start"))
    moved = ok(step(desk, entry, "transfer", to="lab", reason="periksa Hb"))
    assert moved["ended"]["status"] == "transferred" and moved["ended"]["ended_at"]
    at_lab = moved["next"]
    assert (at_lab["service_point"], at_lab["ticket"], at_lab["status"]) == (
        "lab", "L-001", "waiting")
    assert at_lab["previous"] == {"id": entry["id"], "service_point": "k3", "ticket": "C-001"}
    assert at_lab["reason"] == "periksa Hb"
    ok(lab.post(f"{API}/queues/lab/call-next"))
    ok(step(lab, at_lab, "start"))
    back = ok(step(lab, at_lab, "transfer", to="k3", reason="hasil lab"))["next"]
    ok(desk.post(f"{API}/queues/k3/call-next"))
    ok(step(desk, back, "start"))
    to_pharmacy = ok(step(desk, back, "transfer", to="farmasi"))["next"]
    ok(pharmacy.post(f"{API}/queues/farmasi/call-next"))
    ok(step(pharmacy, to_pharmacy, "start"))
    ok(step(pharmacy, to_pharmacy, "done"))

    detail = ok(pharmacy.get(f"{API}/entries/{to_pharmacy['id']}"))
    chain = [(e["service_point"], e["ticket"], e["status"]) for e in detail["history"]]
    assert chain == [("k3", "C-001", "transferred"), ("lab", "L-001", "transferred"),
                     ("k3", "C-001", "transferred"), ("farmasi", "F-001", "done")]
    ids = [e["id"] for e in detail["history"]]
    assert [e["previous"] and e["previous"]["id"] for e in detail["history"]] == [None, *ids[:-1]]
    # The desk that sent the person away follows the visit; the lab sees it too.
    assert ok(desk.get(f"{API}/entries/{entry['id']}"))["history"] == detail["history"]


def test_a_return_keeps_its_ticket_and_place(loket, desk, login):
    lab = login("analis")
    first = registered(loket, add_person(name="Adi"))["entry"]
    ok(desk.post(f"{API}/queues/k3/call-next"))
    at_lab = ok(step(desk, first, "transfer", to="lab"))["next"]
    newcomer = registered(loket, add_person(name="Beni"))["entry"]   # C-002, queued after
    ok(lab.post(f"{API}/queues/lab/call-next"))
    back = ok(step(lab, at_lab, "transfer", to="k3"))["next"]
    assert (back["ticket"], back["queued_at"]) == ("C-001", first["queued_at"])
    waiting = ok(desk.get(f"{API}/queues/k3"))["waiting"]
    assert [e["id"] for e in waiting] == [back["id"], newcomer["id"]]
    assert ok(desk.post(f"{API}/queues/k3/call-next"))["id"] == back["id"]


def test_transfer_refusals_change_nothing(loket, desk):
    entry = registered(loket, add_person())["entry"]
    refused(desk, lambda: step(desk, entry, "transfer", to="k3"), 409, "bad_transition")
    refused(desk, lambda: step(desk, entry, "transfer", to="poli-gigi"), 404, "no_such_point")
    refused(desk, lambda: step(desk, 999, "transfer", to="lab"), 404, "no_such_entry")
    response = desk.post(f"{API}/entries/{entry['id']}/transfer", json={})
    assert response.status_code == 422 and "to" in response.json["errors"]["json"]


def test_tickets_count_per_point_and_day(loket, desk):
    tickets = [registered(loket, add_person(name=f"Orang {n}"))["entry"]["ticket"]
               for n in range(3)]
    child = registered(loket, add_person(name="Anak", birth_date="2020-02-02"))["entry"]
    assert tickets == ["C-001", "C-002", "C-003"]
    assert (child["service_point"], child["ticket"]) == ("k2", "B-001")


def test_an_entry_of_another_day_may_only_be_cancelled(flow, desk):
    person = add_person()
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_arrivals).values(
            id="old", day="2026-01-05", person_id=person["_id"], desa=factories.DESA_A,
            payer="jkn", new_patient=False, emergency=False, disability=False, symptoms="[]",
            priority="normal", priority_groups="[]", proposed_cluster="3", cluster="3",
            created_at="2026-01-05T01:00:00.000Z", created_by="loket1"))
        entry_id = conn.execute(sa.insert(flow_queue_entries).values(
            arrival_id="old", person_id=person["_id"], service_point_id="k3", day="2026-01-05",
            ticket="C-007", priority_rank=2, queued_at="2026-01-05T01:00:00.000Z",
            status="called", created_at="2026-01-05T01:00:00.000Z", created_by="loket1",
            call_count=1)).inserted_primary_key[0]
    refused(desk, lambda: step(desk, entry_id, "start"), 409, "other_day")
    refused(desk, lambda: step(desk, entry_id, "transfer", to="lab"), 409, "other_day")
    refused(desk, lambda: desk.post(f"{API}/queues/k3/call-next"), 409, "queue_empty")
    assert ok(step(desk, entry_id, "cancel"))["status"] == "cancelled"


def test_the_unique_index_turns_a_second_active_entry_into_already_queued(loket):
    """The backstop under the loket's own check (two clerks at once, a recall): the insert
    fails in a savepoint, the answer names the ticket, and nothing is left behind."""
    entry = registered(loket, add_person())["entry"]
    before = snapshot()
    with pytest.raises(FlowError) as refused_twice, write_transaction() as conn:
        user = get_user(conn, username="loket1")[0]
        try:
            queue.enqueue(conn, arrival_id=entry["arrival_id"], person_id=entry["person"]["id"],
                          point=access.point(conn, "k3"), day=queue.today(), priority_rank=2,
                          user=user)
        except FlowError:   # the transaction is still usable after the failed insert
            assert conn.execute(sa.select(sa.func.count()).select_from(
                flow_queue_entries)).scalar() == 1
            raise
    assert refused_twice.value.code == "already_queued"
    assert "C-001" in refused_twice.value.message
    assert snapshot() == before
