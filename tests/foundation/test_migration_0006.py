"""0006: Puskesmas-wide users whose desa rows cover the whole Puskesmas (or who have none)
become whole-Puskesmas users; downgrading writes their rows back."""

from __future__ import annotations

import sqlalchemy as sa

from backend.migrate import upgrade
from tests.foundation.test_migration_data import _downgrade, empty_engine  # noqa: F401

A, B = "3204190001", "3204190002"
USERS = {1: ("kapus", [A, B]), 2: ("admin", []), 3: ("klaster", [A]), 4: ("pustu", [A, B])}


def _old_rows(conn: sa.Connection) -> None:
    for code in (A, B):
        conn.execute(sa.text("INSERT INTO places (id, kind, code, name, desa) "
                             "VALUES (:id, 'desa', :code, :code, :code)"),
                     {"id": f"place:{code}", "code": code})
    for user_id, (role, scopes) in USERS.items():
        conn.execute(sa.text(
            "INSERT INTO users (id, username, display_name, password_hash, role, active, "
            "created_at) VALUES (:id, :name, :name, 'x', :role, TRUE, '2026-01-01')"),
            {"id": user_id, "name": f"u{user_id}", "role": role})
        for desa in scopes:
            conn.execute(sa.text("INSERT INTO user_scopes (user_id, desa) VALUES (:u, :d)"),
                         {"u": user_id, "d": desa})


def _state(conn: sa.Connection, flag: bool = True) -> dict:
    rows = conn.execute(sa.text("SELECT user_id, desa FROM user_scopes ORDER BY desa")).all()
    flags = dict(conn.execute(sa.text("SELECT id, whole_puskesmas FROM users")).all()) \
        if flag else {}
    return {u: ({k: bool(v) for k, v in flags.items()}.get(u),
                [d for uid, d in rows if uid == u]) for u in USERS}


def test_0006_turns_whole_puskesmas_rows_into_the_flag_and_back(empty_engine):  # noqa: F811
    upgrade(empty_engine, "0005")
    with empty_engine.begin() as conn:
        _old_rows(conn)
    upgrade(empty_engine, "0006")
    with empty_engine.connect() as conn:
        assert _state(conn) == {1: (True, []), 2: (True, []), 3: (False, [A]),
                                4: (False, [A, B])}
    _downgrade(empty_engine, "0005")
    with empty_engine.connect() as conn:
        back = _state(conn, flag=False)
    assert {u: scopes for u, (_f, scopes) in back.items()} == {1: [A, B], 2: [A, B], 3: [A],
                                                                4: [A, B]}
