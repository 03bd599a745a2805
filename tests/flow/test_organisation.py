"""The organisation: clusters from config/ilp/organisation.json, staff assignments and service
points, with role checks, validation (422/409, nothing changed) and audit rows."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.clinical.config import load_config
from backend.db import read_transaction, write_transaction
from backend.documents.vocabulary import CLUSTERS
from backend.flow import organisation
from backend.flow.tables import (
    flow_arrivals,
    flow_queue_entries,
    flow_service_points,
    flow_staff_assignments,
)
from backend.flow.vocabulary import POINT_KINDS
from tests.flow import world as flow_world

CONFIG = load_config(with_tables=False)
OUTSIDERS = ("kader_a", "pustu_a", "dinkes", "fktp_a")
NEW_POINT = {"id": "k23", "label": "Ruang Bersama Klaster 2 dan 3", "kind": "cluster",
             "clusters": ["2", "3"], "ticket_prefix": "G"}
BIDAN = {"cluster": "2", "position": "pj", "competencies": ["anc", "imunisasi", "pengobatan_umum"]}


def _snapshot() -> tuple:
    """The organisation's rows and its audit rows (logins aside)."""
    with read_transaction() as conn:
        rows = [conn.execute(sa.select(table)).all()
                for table in (flow_service_points, flow_staff_assignments)]
        rows.append(conn.execute(sa.select(audit_log)
                                 .where(audit_log.c.action.like("flow.%"))).all())
    return tuple(tuple(sorted(map(tuple, table))) for table in rows)


def _audits(action: str) -> list:
    with read_transaction() as conn:
        return conn.execute(sa.select(audit_log).where(audit_log.c.action == action)).all()


# -- the config ---------------------------------------------------------------------------------

def test_config_has_the_five_clusters_with_scope_competencies_and_source() -> None:
    clusters = CONFIG["organisation"]["clusters"]
    assert [c["code"] for c in clusters] == list(CLUSTERS)
    for cluster in clusters:
        assert cluster["scope"] and cluster["competencies"], cluster["code"]
        assert "HK.01.07/MENKES/2015/2023" in cluster["source"]
    first = clusters[0]
    assert first["pj"] == "Kepala Tata Usaha"
    assert len(first["competencies"]) == 8
    assert [len(c["competencies"]) for c in clusters] == [8, 15, 15, 7, 4]
    labels = {c["label"] for cluster in clusters for c in cluster["competencies"]}
    assert {"ANC ibu hamil", "MTBS", "Gadar Matneo", "Skrining geriatri", "Surveilans",
            "Kefarmasian"} <= labels


def test_a_competency_shared_by_clusters_is_one_code_with_one_label() -> None:
    seen: dict[str, str] = {}
    for cluster in CONFIG["organisation"]["clusters"]:
        codes = [c["code"] for c in cluster["competencies"]]
        assert len(set(codes)) == len(codes), cluster["code"]
        for item in cluster["competencies"]:
            assert seen.setdefault(item["code"], item["label"]) == item["label"]
    assert {"pengobatan_umum", "kap", "perkesmas"} <= seen.keys()


def test_every_point_kind_needs_known_competencies_and_defaults_are_valid() -> None:
    known = organisation.competency_labels(CONFIG)
    cover = CONFIG["organisation"]["cover"]
    assert set(cover["needs_by_kind"]) == set(POINT_KINDS) - {"cluster"}
    assert set(cover["needs_by_cluster"]) == set(CLUSTERS)
    for codes in [*cover["needs_by_kind"].values(), *cover["needs_by_cluster"].values()]:
        assert codes and set(codes) <= known.keys()
    points = CONFIG["organisation"]["default_service_points"]["points"]
    assert {p["kind"] for p in points} == set(POINT_KINDS)
    assert len({p["ticket_prefix"] for p in points}) == len(points)
    for point in points:
        organisation._check_point({**point, "sort_order": 0})  # raises if invalid
    assert organisation.needed_competencies(CONFIG, {"kind": "lab", "clusters": ["lintas"]}) \
        == {"laboratorium"}
    assert organisation.needed_competencies(
        CONFIG, {"kind": "cluster", "clusters": ["3", "4"]}) == {"pengobatan_umum",
                                                                 "penemuan_kasus"}


# -- reading -------------------------------------------------------------------------------------

def test_flow_roles_read_the_organisation(flow, login) -> None:
    for name in ("klaster2", "bidan2", "kapus", "admin"):
        body = login(name).get("/api/v1/flow/organisation").json
        assert [c["code"] for c in body["clusters"]] == list(CLUSTERS)
        assert [p["id"] for p in body["service_points"]] == [p[0] for p in flow_world.POINTS]
        assert body["needs"]["farmasi"] == ["kefarmasian"]
        staff = {s["username"]: s for s in body["staff"]}
        # klaster and kapus accounts are staff; admin is not part of the organisation
        assert {"loket1", "bidan2", "analis", "klaster2", "kapus"} <= staff.keys()
        assert "admin" not in staff and "kader_a" not in staff
        assert staff["analis"] == {"username": "analis", "display_name": "Analis",
                                   "role": "klaster", "cluster": "lintas", "position": None,
                                   "competencies": [], "assigned": False}


@pytest.mark.parametrize("name", OUTSIDERS)
def test_other_roles_are_refused_everywhere(flow, login, name) -> None:
    client = login(name)
    before = _snapshot()
    answers = [
        client.get("/api/v1/flow/organisation"),
        client.put("/api/v1/flow/staff/bidan2", json=BIDAN),
        client.client.delete("/api/v1/flow/staff/bidan2", headers=client.headers),
        client.post("/api/v1/flow/service-points", json=NEW_POINT),
        client.patch("/api/v1/flow/service-points/k2", json={"label": "X"}),
    ]
    for response in answers:
        assert response.status_code == 403, response.json
        assert response.json["code"] == "forbidden"
    assert _snapshot() == before


def test_anonymous_is_401(flow, app) -> None:
    assert app.test_client().get("/api/v1/flow/organisation").status_code == 401


# -- assignments -----------------------------------------------------------------------------------

def test_kapus_assigns_and_reassigns_with_an_audit_row(flow, login) -> None:
    kapus = login("kapus")
    response = kapus.put("/api/v1/flow/staff/bidan2", json=BIDAN)
    assert response.status_code == 200, response.json
    assert response.json == {"username": "bidan2", "display_name": "Bidan2", "role": "klaster",
                             "cluster": "2", "position": "pj", "assigned": True,
                             "competencies": ["anc", "imunisasi", "pengobatan_umum"]}
    again = kapus.put("/api/v1/flow/staff/bidan2",
                      json={"cluster": "3", "position": "anggota", "competencies": []})
    assert again.json["cluster"] == "3" and again.json["position"] == "anggota"
    rows = _audits("flow.staff_assign")
    assert len(rows) == 2 and rows[0].actor == "kapus" and rows[0].target_type == "user"
    detail = json.loads(rows[1].detail)
    assert detail["before"]["cluster"] == "2" and detail["after"]["cluster"] == "3"
    staff = {s["username"]: s for s in kapus.get("/api/v1/flow/organisation").json["staff"]}
    assert staff["bidan2"]["cluster"] == "3"


def test_admin_may_assign_and_unassign(flow, login) -> None:
    admin = login("admin")
    assert admin.put("/api/v1/flow/staff/analis",
                     json={"cluster": "lintas", "position": "anggota",
                           "competencies": ["laboratorium"]}).status_code == 200
    gone = admin.client.delete("/api/v1/flow/staff/analis", headers=admin.headers)
    assert gone.status_code == 204
    again = admin.client.delete("/api/v1/flow/staff/analis", headers=admin.headers)
    assert again.status_code == 404 and again.json["code"] == "not_assigned"
    assert len(_audits("flow.staff_unassign")) == 1


def test_klaster_staff_may_not_assign(flow, login) -> None:
    before = _snapshot()
    response = login("klaster2").put("/api/v1/flow/staff/bidan2", json=BIDAN)
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert _snapshot() == before


@pytest.mark.parametrize(("username", "body", "status", "code"), [
    ("bidan2", {**BIDAN, "competencies": ["anc", "sulap"]}, 422, "invalid_competency"),
    ("bidan2", {**BIDAN, "competencies": ["anc", "anc"]}, 422, "invalid_competency"),
    ("bidan2", {**BIDAN, "cluster": "5"}, 422, None),
    ("bidan2", {**BIDAN, "position": "ketua"}, 422, None),
    ("bidan2", {"position": "pj"}, 422, None),
    ("nobody", BIDAN, 404, "no_such_staff"),
    ("kader_a", BIDAN, 404, "no_such_staff"),
    ("admin", BIDAN, 404, "no_such_staff"),
])
def test_bad_assignments_change_nothing(flow, login, username, body, status, code) -> None:
    before = _snapshot()
    response = login("kapus").put(f"/api/v1/flow/staff/{username}", json=body)
    assert response.status_code == status, response.json
    if code:
        assert response.json["code"] == code
    assert _snapshot() == before


def test_a_cluster_has_one_pj(flow, login) -> None:
    kapus = login("kapus")
    assert kapus.put("/api/v1/flow/staff/bidan2", json=BIDAN).status_code == 200
    before = _snapshot()
    second = kapus.put("/api/v1/flow/staff/klaster2", json=BIDAN)
    assert second.status_code == 409 and second.json["code"] == "pj_taken"
    assert _snapshot() == before
    # the PJ may be re-saved, and once they step down another may take it
    assert kapus.put("/api/v1/flow/staff/bidan2", json=BIDAN).status_code == 200
    assert kapus.put("/api/v1/flow/staff/bidan2",
                     json={**BIDAN, "position": "anggota"}).status_code == 200
    assert kapus.put("/api/v1/flow/staff/klaster2", json=BIDAN).status_code == 200


# -- service points --------------------------------------------------------------------------------

def test_kapus_creates_a_shared_room_and_edits_it(flow, login) -> None:
    kapus = login("kapus")
    created = kapus.post("/api/v1/flow/service-points", json=NEW_POINT)
    assert created.status_code == 201, created.json
    assert created.json == {**NEW_POINT, "active": True, "sort_order": len(flow_world.POINTS)}
    changed = kapus.patch("/api/v1/flow/service-points/k23",
                          json={"label": "Ruang Klaster 2-3", "ticket_prefix": "H",
                                "sort_order": 2})
    assert changed.status_code == 200, changed.json
    assert changed.json["ticket_prefix"] == "H" and changed.json["sort_order"] == 2
    assert len(_audits("flow.point_create")) == 1
    detail = json.loads(_audits("flow.point_update")[0].detail)
    assert detail["before"] == {"label": NEW_POINT["label"], "ticket_prefix": "G",
                                "sort_order": 7}
    closed = kapus.patch("/api/v1/flow/service-points/k23", json={"active": False})
    assert closed.json["active"] is False
    points = kapus.get("/api/v1/flow/organisation").json["service_points"]
    assert next(p for p in points if p["id"] == "k23")["active"] is False


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**NEW_POINT, "ticket_prefix": "B"}, 409, "prefix_taken"),
    ({**NEW_POINT, "id": "k2"}, 409, "point_exists"),
    ({**NEW_POINT, "kind": "poli"}, 422, None),
    ({**NEW_POINT, "clusters": ["2", "lintas"]}, 422, "invalid_cluster"),
    ({**NEW_POINT, "clusters": ["2", "2"]}, 422, "invalid_cluster"),
    ({**NEW_POINT, "clusters": []}, 422, None),
    ({**NEW_POINT, "clusters": ["9"]}, 422, None),
    ({**NEW_POINT, "kind": "lab"}, 422, "invalid_cluster"),
    ({**NEW_POINT, "ticket_prefix": "g1"}, 422, None),
    ({**NEW_POINT, "id": "Ruang 5"}, 422, "invalid_id"),
    ({**NEW_POINT, "label": "   "}, 422, "invalid_label"),
    ({key: v for key, v in NEW_POINT.items() if key != "kind"}, 422, None),
])
def test_bad_points_change_nothing(flow, login, body, status, code) -> None:
    before = _snapshot()
    response = login("kapus").post("/api/v1/flow/service-points", json=body)
    assert response.status_code == status, response.json
    if code:
        assert response.json["code"] == code
    assert _snapshot() == before


@pytest.mark.parametrize(("point", "body", "status", "code"), [
    ("k2", {"ticket_prefix": "C"}, 409, "prefix_taken"),
    ("k2", {"kind": "pharmacy"}, 422, "invalid_cluster"),
    ("loket", {"clusters": ["2"]}, 422, "invalid_cluster"),
    ("nowhere", {"label": "X"}, 404, "no_such_point"),
    ("k2", {"active": "maybe"}, 422, None),
])
def test_bad_point_edits_change_nothing(flow, login, point, body, status, code) -> None:
    before = _snapshot()
    response = login("admin").patch(f"/api/v1/flow/service-points/{point}", json=body)
    assert response.status_code == status, response.json
    if code:
        assert response.json["code"] == code
    assert _snapshot() == before


def test_a_point_with_people_waiting_cannot_close(flow, login, world) -> None:
    stamp = flow_world.STAMP
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_arrivals).values(
            id="a1", day="2026-11-30", person_id="person:x", desa="3204192001", payer="umum",
            new_patient=False, emergency=False, disability=False, symptoms="[]",
            priority="normal", priority_groups="[]", proposed_cluster="3", cluster="3",
            created_at=stamp, created_by="loket1"))
        conn.execute(sa.insert(flow_queue_entries).values(
            arrival_id="a1", person_id="person:x", service_point_id="k3", day="2026-11-30",
            ticket="C-001", priority_rank=2, queued_at=stamp, status="waiting",
            created_at=stamp, created_by="loket1", call_count=0))
    before = _snapshot()
    response = login("kapus").patch("/api/v1/flow/service-points/k3", json={"active": False})
    assert response.status_code == 409 and response.json["code"] == "point_in_use"
    assert _snapshot() == before


def test_default_points_come_from_the_config(app, world) -> None:
    with write_transaction() as conn:
        created = organisation.add_default_points(conn, None, CONFIG)
        again = organisation.add_default_points(conn, None, CONFIG)
        points = organisation.service_points(conn)
    assert [p["id"] for p in created] == ["loket", "k2", "k3", "k4", "ugd", "lab", "farmasi"]
    assert again == [] and [p["sort_order"] for p in points] == list(range(7))
