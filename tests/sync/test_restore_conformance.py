"""A server restored from a backup, and the real PouchDB tablets that synced after it was taken
(docs/operations.md, "What a restore means for the tablets"; docs/invariants.md §10)."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from backend.backup import backup_database
from backend.db import engine, read_transaction
from backend.sync import reads
from backend.sync.tables import documents
from tests import factories as f
from tests.sync.conftest import run_node
from tests.sync.test_pouchdb_conformance import PLACES, tablet


def _restore(app, backup) -> None:
    """Put the backup back as the server's database, as an operator would."""
    bind = app.extensions["siklus.engine"]
    if bind.dialect.name == "sqlite":
        raw = bind.raw_connection()
        try:
            with sqlite3.connect(backup) as source:
                source.backup(raw.driver_connection)  # every page replaced, in one step
        finally:
            raw.close()
    else:
        url = bind.url
        with bind.begin() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        libpq = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        done = subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq, str(backup)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    bind.dispose()


@contextmanager
def operator(actions: dict[str, Callable[[], None]]) -> Iterator[str]:
    """A tiny HTTP endpoint the Node scenario calls between its steps: POST /<action>."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            actions[self.path.strip("/")]()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def _winner(doc_id: str) -> str | None:
    with read_transaction() as conn:
        return conn.execute(sa.select(documents.c.winner)
                            .where(documents.c.id == doc_id)).scalar_one_or_none()


@pytest.mark.slow
def test_a_tablet_pushes_again_what_a_restore_took_from_the_server(app, live_server, tmp_path):
    before = [f.person() for _ in range(5)]
    after = [f.person() for _ in range(5)]
    backup = tmp_path / "siklus.backup"
    counts = {}

    def take_backup():
        with app.app_context():
            backup_database(engine(), backup)

    def restore():
        _restore(app, backup)
        with app.app_context(), read_transaction() as conn:
            counts["restored"] = reads.info(conn, "siklus")["doc_count"]

    with operator({"backup": take_backup, "restore": restore}) as ops:
        results = run_node("scenario.mjs", {"base": live_server, "steps": [
            tablet("a", "pustu_a"), {"op": "bulk", "client": "a", "docs": before},
            {"op": "push", "client": "a"},
            {"op": "server", "url": f"{ops}/backup"},
            {"op": "bulk", "client": "a", "docs": after},
            {"op": "update", "client": "a", "id": before[0]["_id"], "set": {"name": "Siti Aminah"},
             "ts": "2026-01-02T03:04:05Z"},
            {"op": "push", "client": "a"},
            {"op": "server", "url": f"{ops}/restore"},
            {"op": "push", "client": "a"},                       # the same tablet, next sync
            {"op": "get", "client": "a", "id": before[0]["_id"]},
            tablet("b", "kader_a"), {"op": "pull", "client": "b"},   # a fresh device
            {"op": "get", "client": "b", "id": before[0]["_id"]},
            {"op": "ids", "client": "b"},
        ]})["results"]
    second_push, again = results[6], results[8]
    edited_on_a, edited_on_b, fresh_ids = results[9], results[12], results[13]
    assert second_push["docs_written"] == 6
    assert counts["restored"] == len(before) + PLACES          # the server went back in time
    assert again["ok"] and again["doc_write_failures"] == 0
    assert again["docs_written"] == len(after) + 1              # it all came back from the tablet
    with read_transaction() as conn:
        assert reads.info(conn, "siklus")["doc_count"] == len(before) + len(after) + PLACES
    assert _winner(before[0]["_id"]) == edited_on_a["_rev"]
    assert edited_on_b["name"] == "Siti Aminah"
    assert {d["_id"] for d in before + after} <= set(fresh_ids)
