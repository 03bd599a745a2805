"""The CLI commands: init-db, create-user, reproject."""

from __future__ import annotations

import sqlalchemy as sa

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
