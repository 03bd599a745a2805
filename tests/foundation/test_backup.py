"""`flask backup FILE`: a consistent copy made while the server writes, that restores whole."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading

import pytest
import sqlalchemy as sa

from backend import create_app
from backend.backup import BackupError, backup_database
from backend.db import engine, read_transaction
from backend.sync import reads
from backend.sync.tables import documents
from backend.writes import save_docs
from tests import factories as f


def _snapshot(conn: sa.Connection) -> dict:
    rows = conn.execute(sa.select(documents.c.id, documents.c.winner)).all()
    return {"docs": dict(rows), "info": reads.info(conn, "siklus")}


def test_sqlite_backup_taken_during_writes_restores_every_committed_batch(app, world, tmp_path):
    if app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("SQLite backup; PostgreSQL has its own test")
    save_docs([f.person() for _ in range(20)], None)
    with read_transaction() as conn:
        base = reads.info(conn, "siklus")["doc_count"]
    stop, writing = threading.Event(), threading.Event()

    def keep_writing():
        with app.app_context():
            while not stop.is_set():
                save_docs([f.person() for _ in range(10)], None)
                writing.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert writing.wait(60)   # the backup starts while batches are being written
        target = tmp_path / "backups" / "siklus-1.db"
        target.parent.mkdir()
        summary = backup_database(engine(), target)
    finally:
        stop.set()
        writer.join()
    assert "SQLite backup" in summary
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600   # health data: owner only
    assert sorted(os.listdir(target.parent)) == ["siklus-1.db"]  # one file, no -wal, no partial

    restored = _restore_sqlite(target, tmp_path)
    with restored.app_context(), read_transaction() as conn:
        copy = _snapshot(conn)
    # A snapshot of whole batches: every document in it is one of the server's, with the
    # counters matching its rows, and batches of 10 are never torn.
    with read_transaction() as conn:
        live = _snapshot(conn)
    assert copy["docs"].items() <= live["docs"].items() and len(copy["docs"]) > base
    assert copy["info"]["doc_count"] == len(copy["docs"]) and (len(copy["docs"]) - base) % 10 == 0
    assert copy["info"]["update_seq"] <= live["info"]["update_seq"]
    # The restored server takes writes again, carrying on from the backup's sequence.
    with restored.app_context():
        assert all(r.get("ok") for r in save_docs([f.person()], None))
        with read_transaction() as conn:
            assert reads.info(conn, "siklus")["update_seq"] == copy["info"]["update_seq"] + 1
    restored.extensions["siklus.engine"].dispose()


def _restore_sqlite(backup, tmp_path):
    """Restore as docs/operations.md says: the backup file becomes instance/siklus.db."""
    instance = tmp_path / "restored-instance"
    instance.mkdir()
    shutil.copy(backup, instance / "siklus.db")
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{instance / 'siklus.db'}"})


def test_backup_never_overwrites_a_file(app, world, tmp_path):
    target = tmp_path / "old-backup.db"
    target.write_bytes(b"yesterday")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(engine(), target)
    assert target.read_bytes() == b"yesterday"


def test_the_cli_command_writes_the_backup(app, world, tmp_path):
    save_docs([f.person()], None)
    target = tmp_path / "cli.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists() and ("documents" in result.output or "pg_restore" in result.output)
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_postgresql_dump_restores_into_an_empty_schema(app, world, tmp_path):
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("pg_dump / pg_restore")
    save_docs([f.person() for _ in range(5)], None)
    with read_transaction() as conn:
        before = _snapshot(conn)
    target = tmp_path / "siklus.dump"
    backup_database(engine(), target)
    url = engine().url
    with engine().begin() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))  # the dump creates it again
    engine().dispose()
    libpq = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    done = subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq, str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with read_transaction() as conn:
        assert _snapshot(conn) == before
