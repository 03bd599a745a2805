"""Role and area on every queue endpoint (docs/flow.md "Roles"): kader, pustu, dinkes and fktp
403; klaster staff at their cluster's points or where they are on duty (another point 403);
an unknown or inactive point 404; a person outside the caller's area 404 like a missing one.
Every refusal leaves the queue tables as they were."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend import clock
from backend.auth.users import create_user
from backend.db import write_transaction
from backend.flow import queue
from backend.flow.tables import flow_duty, flow_service_points
from tests import factories
from tests.flow.queue_world import add_person, arrival_body, registered, snapshot

API = "/api/v1/flow"
OUTSIDERS = ("kader_a", "pustu_a", "dinkes", "fktp_a")
STEPS = ("recall", "start", "skip", "done", "cancel")


def endpoints(entry_id: int, point: str = "k3", person: str = "person:x"):
    """(method, path, body) of every endpoint of the queue blueprint."""
    return [("get", f"{API}/points", None),
            ("post", f"{API}/arrivals", arrival_body({"_id": person})),
            ("get", f"{API}/arrivals", None),
            ("get", f"{API}/queues/{point}", None),
            ("post", f"{API}/queues/{point}/call-next", None),
            *[("post", f"{API}/entries/{entry_id}/{name}", {}) for name in STEPS],
            ("post", f"{API}/entries/{entry_id}/transfer", {"to": "lab"}),
            ("get", f"{API}/entries/{entry_id}", None)]


def call(session, method: str, path: str, body):
    return session.get(path) if method == "get" else session.post(path, json=body)


def test_every_queue_route_is_checked_here(app):
    declared = {path.replace("/7", "/<int:entry_id>").replace("/k3", "/<point_id>")
                for _, path, _ in endpoints(7)}
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("flow_queue.")}
    assert routes == declared


@pytest.fixture
def waiting(flow, login) -> dict:
    return registered(login("loket1"), add_person())["entry"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_roles_outside_the_flow_are_refused_everywhere(login, waiting, username):
    session = login(username)
    before = snapshot()
    for method, path, body in endpoints(waiting["id"], person=waiting["person"]["id"]):
        response = call(session, method, path, body)
        assert response.status_code == 403, (username, method, path, response.json)
    assert snapshot() == before


def test_not_logged_in_is_401(client, waiting):
    for method, path, body in endpoints(waiting["id"]):
        response = client.get(path) if method == "get" else client.post(path, json=body)
        assert response.status_code in (401, 403), (method, path)   # writes: CSRF first


def test_staff_of_another_cluster_act_only_at_their_points(login, waiting):
    midwife = login("bidan2")
    before = snapshot()
    for method, path, body in endpoints(waiting["id"], person=waiting["person"]["id"]):
        if path.endswith("/points"):
            continue
        response = call(midwife, method, path, body)
        assert response.status_code == 403, (method, path, response.json)
        assert response.json["code"] == "not_your_point", (method, path)
    assert snapshot() == before
    points = midwife.get(f"{API}/points").json["points"]
    assert [p["id"] for p in points] == ["k2"]


def test_on_duty_elsewhere_means_acting_there(login, waiting):
    with write_transaction() as conn:  # "Dalam hal keterbatasan SDM...": the midwife covers K3
        conn.execute(sa.insert(flow_duty).values(
            day=queue.today(), service_point_id="k3", username="bidan2",
            created_at=clock.utc_stamp(), created_by="kapus"))
    midwife = login("bidan2")
    assert {p["id"] for p in midwife.get(f"{API}/points").json["points"]} == {"k2", "k3"}
    assert midwife.post(f"{API}/queues/k3/call-next").json["id"] == waiting["id"]


def test_managers_act_everywhere(login, waiting):
    for username in ("kapus", "admin"):
        points = login(username).get(f"{API}/points").json["points"]
        assert [p["id"] for p in points] == ["loket", "k2", "k3", "k4", "ugd", "lab", "farmasi"]
    assert login("kapus").post(f"{API}/queues/k3/call-next").json["id"] == waiting["id"]


def test_unknown_or_inactive_points_are_404(login, waiting):
    with write_transaction() as conn:
        conn.execute(sa.update(flow_service_points).where(flow_service_points.c.id == "k4")
                     .values(active=False))
    desk = login("kapus")
    before = snapshot()
    for point in ("poli-gigi", "k4"):
        for path in (f"{API}/queues/{point}", f"{API}/queues/{point}/call-next"):
            response = desk.get(path) if path.endswith(point) else desk.post(path)
            assert (response.status_code, response.json["code"]) == (404, "no_such_point")
        response = desk.post(f"{API}/entries/{waiting['id']}/transfer", json={"to": point})
        assert (response.status_code, response.json["code"]) == (404, "no_such_point")
    for method, path, body in endpoints(4040):
        if "/entries/" in path:
            response = call(desk, method, path, body)
            assert (response.status_code, response.json["code"]) == (404, "no_such_entry")
    assert snapshot() == before


def test_a_person_outside_the_callers_area_is_not_found(flow, login, waiting):
    with write_transaction() as conn:   # K3 staff and a clerk whose area is desa B only
        for username, cluster in (("dokter3b", "3"), ("loketb", "1")):
            create_user(conn, username=username, password=factories.PASSWORD, role="klaster",
                        display_name=username, cluster=cluster, scopes=[factories.DESA_B])
    desk, clerk = login("dokter3b"), login("loketb")
    before = snapshot()
    for method, path, body in endpoints(waiting["id"]):
        if "/entries/" in path:
            response = call(desk, method, path, body)
            assert (response.status_code, response.json["code"]) == (404, "no_such_entry")
    queue_view = desk.get(f"{API}/queues/k3").json
    assert [(e["ticket"], e["person"]) for e in queue_view["waiting"]] == [("C-001", None)]
    assert desk.post(f"{API}/queues/k3/call-next").json["code"] == "queue_empty"
    response = clerk.post(f"{API}/arrivals", json=arrival_body(waiting["person"] | {
        "_id": waiting["person"]["id"]}))
    assert (response.status_code, response.json["code"]) == (404, "no_such_person")
    assert clerk.get(f"{API}/arrivals").json["items"] == []
    assert snapshot() == before
