"""Embedded mode checkpoints the write-ahead log in the background, never losing a commit."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from backend import create_app
from backend.db import read_transaction
from backend.migrate import upgrade
from backend.sync.tables import documents
from backend.writes import save_docs
from tests import factories as f

HUNG_S = 60  # a deadline for a hung thread only; the tests wait on conditions


def _wait_until(condition) -> bool:
    deadline = time.monotonic() + HUNG_S
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def _wal_frames(app) -> tuple[int, int]:
    """(frames in the log, frames already copied into the database)."""
    with app.extensions["siklus.engine"].connect() as conn:
        _busy, log, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    return log, copied


@pytest.fixture
def embedded(tmp_path, monkeypatch):
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SQLITE_CHECKPOINT_SECONDS": 0.05,
                      # no commit may checkpoint by itself: only the background thread does
                      "SQLITE_WAL_AUTOCHECKPOINT_PAGES": 1_000_000})
    with app.app_context():
        upgrade(app.extensions["siklus.engine"])
        yield app
    app.extensions["siklus.engine"].dispose()


def test_writes_are_checkpointed_after_they_commit(embedded):
    checkpointer = embedded.extensions["siklus.checkpointer"]
    save_docs([f.place("desa", "Desa A", f.DESA_A, code=f.DESA_A)], None)
    before = checkpointer.done
    results = save_docs([f.person() for _ in range(50)], None)
    assert all(r.get("ok") for r in results)
    assert _wait_until(lambda: checkpointer.done > before)
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar() == 51


def test_the_thread_stops_when_idle_and_restarts_on_the_next_write(embedded, monkeypatch):
    monkeypatch.setattr("backend.wal_checkpoint.IDLE_EXIT_S", 0.05)
    checkpointer = embedded.extensions["siklus.checkpointer"]
    save_docs([f.place("desa", "Desa A", f.DESA_A, code=f.DESA_A)], None)
    assert _wait_until(lambda: checkpointer.thread is None)
    # The restarted thread must still be there when we look: with a 50 ms idle exit, a busy
    # machine can let it checkpoint and quit before this thread runs again.
    monkeypatch.setattr("backend.wal_checkpoint.IDLE_EXIT_S", HUNG_S)
    done = checkpointer.done
    save_docs([f.person()], None)
    assert checkpointer.thread is not None
    assert _wait_until(lambda: checkpointer.done > done)
    log, copied = _wal_frames(embedded)
    assert log == copied


def test_postgresql_has_no_checkpointer(app):
    assert ("siklus.checkpointer" in app.extensions) == (app.config["DATABASE_URL"]
                                                         .startswith("sqlite"))
