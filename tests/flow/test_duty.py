"""Today's duty: the roster, uncovered points, who can cover (Juknis ILP: staff of another
cluster with the competency), who may set it (kapus, admin, the PJ of the point's cluster)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from backend import clock
from backend.audit.tables import audit_log
from backend.db import read_transaction
from backend.flow.tables import flow_duty

OUTSIDERS = ("kader_a", "pustu_a", "dinkes", "fktp_a")
# username: (cluster, position, competencies) as a kapus would set them for the flow world
ORGANISATION = {
    "loket1": ("1", "pj", ["manajemen_data"]),
    "bidan2": ("2", "pj", ["anc", "imunisasi", "pengobatan_umum"]),
    "klaster2": ("2", "anggota", ["mtbs"]),
    "dokter3": ("3", "pj", ["pengobatan_umum", "skrining_ptm", "kegawatdaruratan"]),
    "perawat4": ("4", "pj", ["surveilans", "penemuan_kasus"]),
    "analis": ("lintas", "anggota", ["laboratorium"]),
    "apoteker": ("lintas", "pj", ["kefarmasian"]),
}


def _today() -> str:
    return clock.today().isoformat()


@pytest.fixture
def organised(flow, login):
    kapus = login("kapus")
    for name, (cluster, position, competencies) in ORGANISATION.items():
        response = kapus.put(f"/api/v1/flow/staff/{name}", json={
            "cluster": cluster, "position": position, "competencies": competencies})
        assert response.status_code == 200, response.json
    return kapus


def _duty_rows() -> list:
    with read_transaction() as conn:
        return sorted(map(tuple, conn.execute(
            sa.select(flow_duty.c.day, flow_duty.c.service_point_id, flow_duty.c.username))))


def _points(body: dict) -> dict:
    return {entry["service_point"]["id"]: entry for entry in body["points"]}


def test_an_empty_day_is_all_uncovered_with_who_can_cover(organised) -> None:
    body = organised.get("/api/v1/flow/duty").json
    assert body["day"] == _today()
    points = _points(body)
    assert list(points) == ["loket", "k2", "k3", "k4", "ugd", "lab", "farmasi"]
    assert all(entry["uncovered"] and entry["staff"] == [] for entry in points.values())
    assert [p["username"] for p in points["lab"]["can_cover"]] == ["analis"]
    assert [p["username"] for p in points["farmasi"]["can_cover"]] == ["apoteker"]
    # pengobatan umum: the midwife of Klaster 2 and the doctor of Klaster 3 can both cover
    assert {p["username"] for p in points["k3"]["can_cover"]} == {"bidan2", "dokter3"}
    assert [p["username"] for p in points["ugd"]["can_cover"]] == ["dokter3"]
    assert points["k2"]["needs"] == ["pengobatan_umum"]


def test_kapus_sets_duty_and_cover_names_who_serves_elsewhere(organised) -> None:
    today = _today()
    response = organised.put(f"/api/v1/flow/duty/{today}/k3", json={"usernames": ["dokter3"]})
    assert response.status_code == 200, response.json
    assert response.json["uncovered"] is False
    assert response.json["staff"] == [{"username": "dokter3", "display_name": "Dokter3",
                                       "cluster": "3", "competencies": [
                                           "pengobatan_umum", "skrining_ptm",
                                           "kegawatdaruratan"]}]
    points = _points(organised.get(f"/api/v1/flow/duty?day={today}").json)
    assert points["k3"]["uncovered"] is False
    # the doctor on duty in k3 can still cover the emergency room, and says where they serve
    cover = points["ugd"]["can_cover"]
    assert cover[0]["username"] == "dokter3" and cover[0]["on_duty_at"] == ["k3"]
    # Klaster 2's room: the midwife (free) before the doctor (busy in k3)
    assert [p["username"] for p in points["k2"]["can_cover"]] == ["bidan2", "dokter3"]
    rows = _duty_rows()
    assert rows == [(today, "k3", "dokter3")]
    with read_transaction() as conn:
        audit = conn.execute(sa.select(audit_log).where(audit_log.c.action == "flow.duty")).one()
    assert json.loads(audit.detail) == {"day": today, "before": [], "after": ["dokter3"]}
    assert audit.target_id == "k3"


def test_replacing_and_clearing_duty(organised) -> None:
    today = _today()
    organised.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": ["bidan2", "klaster2"]})
    organised.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": ["klaster2", "dokter3"]})
    assert _duty_rows() == [(today, "k2", "dokter3"), (today, "k2", "klaster2")]
    cleared = organised.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": []})
    assert cleared.json["uncovered"] is True and _duty_rows() == []
    # setting the same people again writes no audit row
    organised.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": []})
    with read_transaction() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                             .where(audit_log.c.action == "flow.duty")).scalar()
    assert count == 3


def test_duty_lets_a_covering_member_act_at_the_point(organised, login) -> None:
    """access.points_for: on duty at a point of another cluster means acting there today."""
    from backend.auth.users import get_user  # noqa: PLC0415
    from backend.flow.access import points_for  # noqa: PLC0415

    today = _today()
    organised.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": ["dokter3"]})
    with read_transaction() as conn:
        user = get_user(conn, username="dokter3")[0]
        assert points_for(conn, user, today) == {"k2", "k3"}


def test_the_pj_sets_duty_for_their_clusters_points_only(organised, login) -> None:
    today = _today()
    bidan = login("bidan2")  # PJ of Klaster 2
    ok = bidan.put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": ["bidan2", "dokter3"]})
    assert ok.status_code == 200, ok.json
    before = _duty_rows()
    refused = bidan.put(f"/api/v1/flow/duty/{today}/k3", json={"usernames": ["bidan2"]})
    assert refused.status_code == 403 and refused.json["code"] == "not_your_cluster"
    # an anggota of the same cluster may not set it either
    member = login("klaster2").put(f"/api/v1/flow/duty/{today}/k2", json={"usernames": []})
    assert member.status_code == 403 and member.json["code"] == "not_your_cluster"
    assert _duty_rows() == before
    # but every flow role reads the roster
    assert login("klaster2").get("/api/v1/flow/duty").status_code == 200


def test_a_pj_of_lintas_sets_lab_and_pharmacy(organised, login) -> None:
    today = _today()
    apoteker = login("apoteker")
    assert apoteker.put(f"/api/v1/flow/duty/{today}/lab",
                        json={"usernames": ["analis"]}).status_code == 200
    assert apoteker.put(f"/api/v1/flow/duty/{today}/k4",
                        json={"usernames": ["perawat4"]}).status_code == 403


def test_an_unassigned_klaster_account_is_no_pj(flow, login) -> None:
    """Before the kapus assigns anyone, no klaster account may set duty."""
    response = login("dokter3").put(f"/api/v1/flow/duty/{_today()}/k3",
                                    json={"usernames": ["dokter3"]})
    assert response.status_code == 403 and _duty_rows() == []


@pytest.mark.parametrize("name", OUTSIDERS)
def test_other_roles_are_refused(organised, login, name) -> None:
    client = login(name)
    assert client.get("/api/v1/flow/duty").status_code == 403
    response = client.put(f"/api/v1/flow/duty/{_today()}/k2", json={"usernames": []})
    assert response.status_code == 403 and response.json["code"] == "forbidden"


@pytest.mark.parametrize(("day", "point", "usernames", "status", "code"), [
    ("today", "k2", ["bidan2", "bidan2"], 422, "invalid_staff"),
    ("today", "k2", ["kader_a"], 422, "unknown_staff"),
    ("today", "k2", ["admin"], 422, "unknown_staff"),
    ("today", "k2", ["bidan2", "nobody"], 422, "unknown_staff"),
    ("yesterday", "k2", ["bidan2"], 422, "day_past"),
    ("2026-02-30", "k2", ["bidan2"], 422, "invalid_day"),
    ("today", "nowhere", ["bidan2"], 404, "no_such_point"),
])
def test_bad_duty_changes_nothing(organised, day, point, usernames, status, code) -> None:
    organised.put(f"/api/v1/flow/duty/{_today()}/k2", json={"usernames": ["klaster2"]})
    before = _duty_rows()
    when = {"today": _today(),
            "yesterday": (clock.today() - dt.timedelta(days=1)).isoformat()}.get(day, day)
    response = organised.put(f"/api/v1/flow/duty/{when}/{point}", json={"usernames": usernames})
    assert response.status_code == status, response.json
    assert response.json["code"] == code
    assert _duty_rows() == before


def test_a_closed_point_leaves_the_roster_and_refuses_duty(organised) -> None:
    organised.patch("/api/v1/flow/service-points/k4", json={"active": False})
    assert "k4" not in _points(organised.get("/api/v1/flow/duty").json)
    response = organised.put(f"/api/v1/flow/duty/{_today()}/k4", json={"usernames": []})
    assert response.status_code == 404 and response.json["code"] == "no_such_point"


def test_bad_day_query_is_422(organised) -> None:
    response = organised.get("/api/v1/flow/duty?day=kemarin")
    assert response.status_code == 422 and response.json["code"] == "invalid_day"


def test_tomorrows_duty_can_be_planned(organised) -> None:
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    assert organised.put(f"/api/v1/flow/duty/{tomorrow}/lab",
                         json={"usernames": ["analis"]}).status_code == 200
    assert _points(organised.get("/api/v1/flow/duty").json)["lab"]["uncovered"] is True
    planned = _points(organised.get(f"/api/v1/flow/duty?day={tomorrow}").json)
    assert planned["lab"]["staff"][0]["username"] == "analis"


def test_the_demo_puskesmas_is_organised_with_an_uncovered_ugd(demo_app) -> None:
    """backend/demo/flow.py: default points, every klaster and kapus login placed, today's duty
    with the UGD uncovered and who can cover it named."""
    from backend.demo import DEMO_PASSWORD  # noqa: PLC0415

    client = demo_app.test_client()
    me = client.post("/api/v1/auth/login", json={"username": "loket",
                                                 "password": DEMO_PASSWORD})
    assert me.status_code == 200 and me.json["role"] == "klaster"
    body = client.get("/api/v1/flow/organisation").json
    assert [p["id"] for p in body["service_points"]] == ["loket", "k2", "k3", "k4", "ugd",
                                                         "lab", "farmasi"]
    staff = {s["username"]: s for s in body["staff"]}
    assert all(s["assigned"] for s in staff.values())
    assert staff["analis"]["competencies"] == ["laboratorium"]
    assert sorted(s["cluster"] for s in staff.values() if s["position"] == "pj") == [
        "1", "2", "3", "4", "lintas"]
    points = _points(client.get("/api/v1/flow/duty").json)
    assert [name for name, entry in points.items() if entry["uncovered"]] == ["ugd"]
    assert [p["username"] for p in points["ugd"]["can_cover"]] == ["lintasklaster", "kapus",
                                                                  "klaster3"]
    assert "belum ada petugas: Ruang Gawat Darurat" in demo_app.extensions["demo.report"]
