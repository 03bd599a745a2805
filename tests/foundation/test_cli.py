"""The CLI commands: init-db, create-user, set-password, reproject."""

from __future__ import annotations

import sqlalchemy as sa

from backend import audit
from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from backend.projections.tables import persons
from backend.writes import save_docs
from tests import factories as f


def test_init_db_is_idempotent(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Database ready" in result.output


def test_create_user_checks_the_desa_code(runner, world):
    ok = runner.invoke(args=["create-user", "--username", "bidan.baru", "--password",
                             "sandi-kuat-1", "--name", "Bidan Baru", "--role", "pustu",
                             "--desa", f.DESA_A])
    bad = runner.invoke(args=["create-user", "--username", "bidan.lain", "--password",
                              "sandi-kuat-1", "--name", "X", "--role", "pustu",
                              "--desa", "1111111111"])
    assert ok.exit_code == 0 and "bidan.baru (pustu) for 1 desa" in ok.output
    assert bad.exit_code != 0 and "1111111111" in bad.output


def test_reproject_rebuilds_a_damaged_read_model(runner, world):
    save_docs([f.person(name="Dewi"), f.person(name="Rina")], None)
    with write_transaction() as conn:
        conn.execute(persons.delete())
    result = runner.invoke(args=["reproject"])
    assert result.exit_code == 0
    with read_transaction() as conn:
        names = set(conn.execute(sa.select(persons.c.name)).scalars())
    assert names == {"Dewi", "Rina"}


def test_create_user_gives_a_puskesmas_wide_role_every_desa_and_audits_it(runner, world):
    result = runner.invoke(args=["create-user", "--username", "admin.dua", "--password",
                                 "sandi-kuat-1", "--name", "Admin Dua", "--role", "admin"])
    assert result.exit_code == 0 and "admin.dua (admin) for 2 desa" in result.output
    with read_transaction() as conn:
        assert sorted(get_user(conn, username="admin.dua")[0].scopes) == [f.DESA_A, f.DESA_B]
        [row] = audit.entries(conn, action="user.create")
    assert row.actor is None and row.detail["username"] == "admin.dua"


def test_create_user_of_a_desa_role_needs_a_desa(runner, world):
    result = runner.invoke(args=["create-user", "--username", "kader.x", "--password",
                                 "sandi-kuat-1", "--name", "Kader X", "--role", "kader"])
    assert result.exit_code != 0 and "scopes" in result.output


def test_set_password_ends_sessions_and_the_old_password(runner, login, client):
    tablet = login("pustu_a")
    result = runner.invoke(args=["set-password", "--username", "pustu_a"],
                           input="sandi-baru-12\nsandi-baru-12\n")
    assert result.exit_code == 0, result.output
    assert tablet.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/auth/me", auth=("pustu_a", f.PASSWORD)).status_code == 401
    assert client.get("/api/v1/auth/me", auth=("pustu_a", "sandi-baru-12")).status_code == 200
    with read_transaction() as conn:
        assert [e.target_id for e in audit.entries(conn, action="user.password")] == [
            str(tablet.me["id"])]


def test_set_password_of_an_unknown_user_fails(runner, world):
    result = runner.invoke(args=["set-password", "--username", "nobody", "--password",
                                 "sandi-baru-12"])
    assert result.exit_code != 0 and "nobody" in result.output
