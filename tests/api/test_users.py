"""The staff-account API the admin screen uses: create, change, deactivate, reset password,
the admin-safety rules, Puskesmas-wide defaults and the audit rows every change leaves."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from backend import audit
from backend.auth.accounts import change_account
from backend.auth.users import UserError, create_user, get_user
from backend.db import engine, read_transaction, write_transaction
from backend.writes import save_docs
from tests import factories as f

USERS = "/api/v1/users"
NEW = {"username": "bidan.baru", "display_name": "Bidan Baru", "role": "pustu",
       "scopes": [f.DESA_A], "password": "sandi-awal-1"}


@pytest.fixture
def admin(login):
    return login("admin")


def audit_rows(action):
    with read_transaction() as conn:
        return audit.entries(conn, action=action, limit=100)


def test_create_returns_the_documented_shape_and_is_audited(admin):
    response = admin.post(USERS, json=NEW)
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "username": "bidan.baru",
                             "display_name": "Bidan Baru", "role": "pustu", "cluster": None,
                             "scopes": [f.DESA_A], "whole_puskesmas": False, "active": True}
    [row] = audit_rows("user.create")
    assert row.actor == "admin" and row.target_id == str(response.json["id"])
    assert row.detail["role"] == "pustu" and row.detail["scopes"] == [f.DESA_A]
    assert "password" not in row.detail and "sandi" not in str(row.detail)


@pytest.mark.parametrize("role", ["admin", "kapus", "klaster", "dinkes"])
def test_a_puskesmas_wide_role_without_desa_gets_the_whole_puskesmas(admin, app, role):
    body = {**NEW, "role": role, "cluster": "2" if role == "klaster" else None}
    del body["scopes"]
    response = admin.post(USERS, json=body)
    assert response.status_code == 201 and response.json["scopes"] == [f.DESA_A, f.DESA_B]
    assert response.json["whole_puskesmas"] is True


def test_a_desa_added_later_joins_whole_puskesmas_areas_only(admin, app, world):
    wide = admin.post(USERS, json={**NEW, "role": "kapus", "scopes": []}).json
    listed = admin.post(USERS, json={**NEW, "username": "kapus.dua", "role": "kapus"}).json
    new_desa = "3204190003"
    save_docs([f.place("desa", "Desa Baru", new_desa, code=new_desa,
                       parent=world.puskesmas["_id"])], None)
    assert new_desa in admin.get(f"{USERS}/{wide['id']}").json["scopes"]
    assert admin.get(f"{USERS}/{listed['id']}").json["scopes"] == [f.DESA_A]
    me = app.test_client().get("/api/v1/auth/me", auth=("bidan.baru", NEW["password"])).json
    assert new_desa in me["scopes"]


def test_listing_desa_for_a_wide_role_replaces_the_whole_puskesmas(admin, world):
    response = admin.patch(f"{USERS}/{world.users['klaster2']}", json={"scopes": []})
    assert response.json["whole_puskesmas"] is True
    narrowed = admin.patch(f"{USERS}/{world.users['klaster2']}", json={"scopes": [f.DESA_B]})
    assert (narrowed.json["whole_puskesmas"], narrowed.json["scopes"]) == (False, [f.DESA_B])


def test_a_desa_role_without_desa_is_refused_naming_the_field(admin):
    response = admin.post(USERS, json={**NEW, "scopes": []})
    assert response.status_code == 422 and "scopes" in response.json["errors"]["json"]
    assert response.content_type == "application/problem+json"


def test_admin_changes_role_cluster_area_and_name_and_each_is_audited(admin, world):
    user_id = world.users["pustu_a"]
    response = admin.patch(f"{USERS}/{user_id}", json={
        "role": "klaster", "cluster": "3", "display_name": "Bidan Klaster"})
    assert response.status_code == 200
    assert (response.json["role"], response.json["cluster"], response.json["scopes"]) == (
        "klaster", "3", [f.DESA_A, f.DESA_B])  # to a Puskesmas-wide role: the whole of it
    assert response.json["whole_puskesmas"] is True
    narrowed = admin.patch(f"{USERS}/{user_id}", json={"role": "pustu", "scopes": [f.DESA_B]})
    assert narrowed.json["scopes"] == [f.DESA_B]
    first, second = reversed(audit_rows("user.update"))
    assert first.detail["role"] == ["pustu", "klaster"] and first.detail["cluster"] == [None, "3"]
    assert first.detail["display_name"] == ["Pustu A", "Bidan Klaster"]
    assert second.detail["scopes"] == [[f.DESA_A, f.DESA_B], [f.DESA_B]]
    assert second.detail["whole_puskesmas"] == [True, False]


def test_demoting_a_puskesmas_wide_user_must_name_the_desa(admin, world):
    response = admin.patch(f"{USERS}/{world.users['kapus']}", json={"role": "pustu"})
    assert response.status_code == 422 and "scopes" in response.json["errors"]["json"]
    with read_transaction() as conn:
        assert get_user(conn, username="kapus")[0].role == "kapus"


def test_deactivate_and_reactivate(admin, app, world):
    user_id = world.users["pustu_a"]
    assert admin.patch(f"{USERS}/{user_id}", json={"active": False}).json["active"] is False
    again = app.test_client().post("/api/v1/auth/login",
                                   json={"username": "pustu_a", "password": f.PASSWORD})
    assert again.status_code == 401
    assert admin.patch(f"{USERS}/{user_id}", json={"active": True}).json["active"] is True
    assert app.test_client().post("/api/v1/auth/login", json={
        "username": "pustu_a", "password": f.PASSWORD}).status_code == 200
    assert [r.detail["active"] for r in audit_rows("user.update")] == [[False, True],
                                                                        [True, False]]


def test_password_reset_ends_the_users_sessions_and_is_audited_without_the_password(
        admin, login, app, world):
    tablet = login("pustu_a")
    response = admin.patch(f"{USERS}/{world.users['pustu_a']}", json={"password": "sandi-baru-7"})
    assert response.status_code == 200 and "password" not in response.json
    assert tablet.get("/api/v1/auth/me").status_code == 401
    new = app.test_client().post("/api/v1/auth/login",
                                 json={"username": "pustu_a", "password": "sandi-baru-7"})
    assert new.status_code == 200
    [row] = audit_rows("user.password")
    assert row.actor == "admin" and row.detail == {"username": "pustu_a"}
    assert audit_rows("user.update") == []  # nothing else changed


def test_an_admin_resetting_its_own_password_keeps_this_session_only(admin, login):
    other_browser = login("admin")
    response = admin.patch(f"{USERS}/{admin.me['id']}", json={"password": "sandi-admin-2"})
    assert response.status_code == 200
    assert admin.get("/api/v1/auth/me").status_code == 200
    assert other_browser.get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize(("change", "field"), [({"active": False}, "active"),
                                               ({"role": "kapus"}, "role")])
def test_an_admin_cannot_deactivate_or_demote_itself(login, change, field):
    admin, second = login("admin"), login("admin")
    second.post(USERS, json={**NEW, "role": "admin"})  # even when another admin exists
    response = admin.patch(f"{USERS}/{admin.me['id']}", json=change)
    assert response.status_code == 409 and field in response.json["errors"]["json"]
    assert admin.get("/api/v1/auth/me").json["role"] == "admin"


def test_an_admin_may_deactivate_another_admin(admin):
    other = admin.post(USERS, json={**NEW, "role": "admin"}).json
    assert admin.patch(f"{USERS}/{other['id']}", json={"active": False}).status_code == 200


def test_the_last_active_admin_can_never_be_removed(app, world):
    with pytest.raises(UserError, match="last active admin") as raised, \
            write_transaction() as conn:
        change_account(conn, None, world.users["admin"], {"active": False})
    assert raised.value.status == 409
    with pytest.raises(UserError, match="last active admin"), write_transaction() as conn:
        change_account(conn, None, world.users["admin"], {"role": "kapus", "scopes": []})


def _waiting_on_a_lock() -> bool:
    # A transaction of its own per look: PostgreSQL freezes pg_stat_activity for the rest of
    # the transaction that first reads it.
    with read_transaction() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND query LIKE '%FROM users%FOR UPDATE%'")
        ).scalar_one() > 0


def test_two_admins_removing_each_other_at_once_leave_one_active(app, world):
    with write_transaction() as conn:
        other = create_user(conn, username="admin2", password=f.PASSWORD, display_name="A2",
                            role="admin", scopes=[])
    first, second = world.users["admin"], other.id
    outcome: dict = {}

    def remove_first():
        with app.app_context():
            try:
                with write_transaction() as conn:
                    change_account(conn, other, first, {"active": False})
                outcome["second"] = "removed"
            except UserError as exc:
                outcome["second"] = exc.status

    with write_transaction() as conn:
        actor = get_user(conn, user_id=first)[0]
        change_account(conn, actor, second, {"active": False})
        racer = threading.Thread(target=remove_first)
        racer.start()
        if engine().dialect.name == "postgresql":  # SQLite's writers queue at BEGIN IMMEDIATE
            while racer.is_alive() and not _waiting_on_a_lock():
                racer.join(0.05)
    racer.join()
    assert outcome["second"] == 409
    with read_transaction() as conn:
        assert get_user(conn, user_id=first)[0].active
        assert not get_user(conn, user_id=second)[0].active


@pytest.mark.parametrize(("method", "url"), [("patch", f"{USERS}/999999"),
                                             ("get", f"{USERS}/999999")])
def test_an_unknown_user_is_a_404_problem(admin, method, url):
    response = getattr(admin, method)(url, json={"display_name": "X"}) if method == "patch" \
        else admin.get(url)
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_an_unknown_field_is_named(admin, world):
    response = admin.patch(f"{USERS}/{world.users['pustu_a']}", json={"username": "lain"})
    assert response.status_code == 422 and "username" in response.json["errors"]["json"]


def test_the_list_holds_inactive_accounts_too(admin, world):
    admin.patch(f"{USERS}/{world.users['kader_a']}", json={"active": False})
    listed = {u["username"]: u["active"] for u in admin.get(USERS).json}
    assert listed["kader_a"] is False and listed["admin"] is True
