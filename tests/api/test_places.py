"""Places API: the admin creates and edits desa, Pustu and Posyandu through the store."""

from __future__ import annotations

import pytest

from backend.audit import entries
from backend.db import read_transaction
from tests import factories as f

NEW_DESA = "3204190003"


def create(session, **body):
    return session.post("/api/v1/places", json=body)


def test_admin_creates_a_desa_its_pustu_and_a_posyandu(login, world):
    admin = login("admin")
    desa = create(admin, kind="desa", name="Sukamaju", code=NEW_DESA)
    assert desa.status_code == 201, desa.json
    assert desa.json["desa"] == NEW_DESA and desa.json["parent"] == world.puskesmas["_id"]
    pustu = create(admin, kind="pustu", name="Pustu Sukamaju", desa=NEW_DESA)
    assert pustu.status_code == 201 and pustu.json["parent"] == desa.json["_id"]
    posyandu = create(admin, kind="posyandu", name="Posyandu Mawar", desa=NEW_DESA,
                      parent=pustu.json["_id"], dusun="Cibeureum", schedule_day=12)
    assert posyandu.status_code == 201, posyandu.json
    listed = login("kader_a").get(f"/api/v1/places?desa={NEW_DESA}").json
    assert {(p["kind"], p["name"]) for p in listed} == {
        ("desa", "Sukamaju"), ("pustu", "Pustu Sukamaju"), ("posyandu", "Posyandu Mawar")}
    # Written through the store: a kader's tablet receives it by replication.
    replicated = login("kader_a").get(f"/sync/siklus/{posyandu.json['_id']}")
    assert replicated.status_code == 200 and replicated.json["schedule_day"] == 12


def test_the_admin_edits_a_posyandu_day_and_the_trail_says_so(login, world):
    admin = login("admin")
    made = create(admin, kind="posyandu", name="Posyandu Melati", desa=f.DESA_A,
                  schedule_day=5).json
    current = login("kader_a").get(f"/api/v1/places/{made['_id']}").json
    edited = admin.patch(f"/api/v1/places/{made['_id']}",
                         json={"_rev": current["_rev"], "schedule_day": 20})
    assert edited.status_code == 200 and edited.json["schedule_day"] == 20
    stale = admin.patch(f"/api/v1/places/{made['_id']}",
                        json={"_rev": current["_rev"], "name": "Lagi"})
    assert stale.status_code == 409
    with read_transaction() as conn:
        rows = entries(conn, target_id=made["_id"])
    assert [(r.action, r.actor, r.detail["fields"]) for r in rows] == [
        ("place.update", "admin", ["schedule_day"]),
        ("place.create", "admin", ["desa", "kind", "name", "parent", "schedule_day"])]


def test_an_edit_clears_the_dusun_with_null_and_a_new_place_ignores_nulls(login, world):
    admin = login("admin")
    made = create(admin, kind="posyandu", name="Posyandu Mawar", desa=f.DESA_A,
                  schedule_day=7, dusun="Dusun Kidul", address=None)
    assert made.status_code == 201 and "address" not in made.json
    cleared = admin.patch(f"/api/v1/places/{made.json['_id']}",
                          json={"_rev": made.json["_rev"], "dusun": None})
    assert cleared.status_code == 200, cleared.json
    assert "dusun" not in cleared.json and "dusun" in cleared.json["field_ts"]
    [row] = [p for p in admin.get("/api/v1/places?kind=posyandu").json
             if p["id"] == made.json["_id"]]
    assert row["dusun"] is None and row["schedule_day"] == 7


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "desa", "name": "Tanpa Kode"}, "code"),
    ({"kind": "desa", "name": "Kembar", "code": f.DESA_A}, "code"),
    ({"kind": "desa", "name": "Pendek", "code": "32041"}, "code"),
    ({"kind": "pustu", "name": "Pustu Hantu", "desa": "3204199999"}, "desa"),
    ({"kind": "posyandu", "name": "Tanpa Hari", "desa": f.DESA_A}, "schedule_day"),
    ({"kind": "posyandu", "name": "Hari 31", "desa": f.DESA_A, "schedule_day": 31},
     "schedule_day"),
    ({"kind": "pustu", "name": "Pustu Berhari", "desa": f.DESA_A, "schedule_day": 3},
     "schedule_day"),
    ({"kind": "posyandu", "name": "Salah Induk", "desa": f.DESA_A, "schedule_day": 3,
      "parent": "DESA_B"}, "parent"),
    ({"kind": "puskesmas", "name": "Puskesmas Kedua"}, "kind"),
])
def test_a_place_that_breaks_the_network_rules_is_refused_clearly(login, world, body, field):
    if body.get("parent") == "DESA_B":
        body = {**body, "parent": world.desa[f.DESA_B]["_id"]}
    before = login("admin").get("/api/v1/places").json
    response = create(login("admin"), **body)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]["json"] and field in response.json["detail"]
    assert login("admin").get("/api/v1/places").json == before


@pytest.mark.parametrize("change", [{"code": "3204190009"}, {"kind": "pustu"},
                                    {"desa": f.DESA_B}])
def test_a_desa_keeps_its_code_kind_and_desa(login, world, change):
    desa = login("admin").get(f"/api/v1/places/{world.desa[f.DESA_A]['_id']}").json
    response = login("admin").patch(f"/api/v1/places/{desa['_id']}",
                                    json={"_rev": desa["_rev"], **change})
    assert response.status_code == 422


@pytest.mark.parametrize("username", ["kader_a", "pustu_a", "klaster2", "kapus", "dinkes",
                                      "fktp_a"])
def test_only_the_admin_writes_places(login, world, username):
    session = login(username)
    assert create(session, kind="desa", name="Liar", code=NEW_DESA).status_code == 403
    desa = session.get(f"/api/v1/places/{world.desa[f.DESA_A]['_id']}")
    assert desa.status_code == 200
    edit = session.patch(f"/api/v1/places/{desa.json['_id']}",
                         json={"_rev": desa.json["_rev"], "name": "Liar"})
    assert edit.status_code == 403


def test_a_place_that_does_not_exist_is_not_found(login, world):
    assert login("kader_a").get("/api/v1/places/place:nope").status_code == 404
    assert login("admin").get(f"/api/v1/places/{world.desa[f.DESA_A]['_id']}x").status_code == 404
