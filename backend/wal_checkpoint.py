"""SQLite (embedded mode): checkpoint the write-ahead log beside requests, not inside commits.

In WAL mode a commit appends pages to the log; a checkpoint copies them into the database
file and syncs it to disk. SQLite's default runs that checkpoint inside whichever commit pushes
the log past 1,000 pages, so every few `_bulk_docs` batches a tablet waited for the disk
(measured: a third of the server time of a push). Here a commit only pokes a background thread
of the process; it waits SQLITE_CHECKPOINT_SECONDS, so the writes of that interval share one
checkpoint, and runs it in PASSIVE mode, which never blocks readers or writers. The thread ends
when the process has been idle for a while and the next write starts it again.

Durability is unchanged: a committed transaction is in the log, synced per
`synchronous=NORMAL` (backend/db.py), whether or not it was checkpointed yet. If the thread
falls behind, the wal_autocheckpoint backstop makes a commit checkpoint as SQLite always did.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import Flask

IDLE_EXIT_S = 30.0


class Checkpointer:
    def __init__(self, bind: sa.Engine, interval_s: float):
        self.bind, self.interval_s = bind, interval_s
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.done = 0  # checkpoints run, for tests and curiosity

    def poke(self) -> None:
        """A write committed: checkpoint within `interval_s`."""
        with self.lock:
            self.wake.set()
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="siklus-wal-checkpoint",
                                               daemon=True)
                self.thread.start()

    def _loop(self) -> None:
        while True:
            if not self.wake.wait(IDLE_EXIT_S):
                with self.lock:
                    if not self.wake.is_set():
                        self.thread = None
                        return
            time.sleep(self.interval_s)  # the writes of this interval share one checkpoint
            self.wake.clear()
            self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            with self.bind.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            self.done += 1
        except sa.exc.OperationalError:
            pass  # busy, or the database is gone (a removed test instance): next write retries


def init_app(app: Flask, bind: sa.Engine) -> None:
    seconds = app.config["SQLITE_CHECKPOINT_SECONDS"]
    if bind.dialect.name == "sqlite" and seconds:
        app.extensions["siklus.checkpointer"] = Checkpointer(bind, seconds)
