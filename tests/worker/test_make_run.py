"""`make run` = `honcho --procfile Procfile start`: the repository's Procfile starts gunicorn and
the worker on a fresh instance, and Ctrl+C (SIGINT to honcho) stops both process trees."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Deadlines for a hung process only (README: tests wait on conditions): on an idle machine the
# whole test takes about 3 s; under a full load the two processes take far longer to start.
START_DEADLINE_SECONDS = 90
STOP_DEADLINE_SECONDS = 30   # honcho itself SIGKILLs what has not stopped 5 s after SIGTERM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children() -> dict[int, list[int]]:
    """Every live process's children (zombies count as gone)."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    running = {p for kids in _children().values() for p in kids}
    return pids & running


def _up(url: str, db: Path) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            if response.status != 200:
                return False
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM worker_jobs").fetchone()[0] > 0
    except (OSError, sqlite3.Error):
        return False


def test_make_run_starts_gunicorn_and_the_worker_and_ctrl_c_stops_both(tmp_path,
                                                                      sqlite_template):
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(sqlite_template, instance / "siklus.db")   # what `flask init-db` makes
    port = _free_port()
    env = dict(os.environ, SIKLUS_INSTANCE_PATH=str(instance), SIKLUS_BIND=f"127.0.0.1:{port}",
               SIKLUS_WORKERS="1", PYTHONUNBUFFERED="1")
    env.pop("SIKLUS_DATABASE_URL", None)
    log = tmp_path / "honcho.log"   # a file, not a pipe nobody reads while waiting
    with log.open("w") as out:
        honcho = subprocess.Popen([str(ROOT / ".venv/bin/honcho"), "--procfile", "Procfile",
                                   "start"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    processes: set[int] = set()
    try:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while not _up(f"http://127.0.0.1:{port}/", instance / "siklus.db"):
            assert honcho.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        processes = _descendants(honcho.pid)
        assert len(processes) >= 5   # 2 honcho runners, gunicorn master + worker, flask worker
        honcho.send_signal(signal.SIGINT)
        honcho.wait(STOP_DEADLINE_SECONDS)
        gone_by = time.monotonic() + STOP_DEADLINE_SECONDS
        while _alive(processes) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert not _alive(processes), log.read_text()
    finally:
        for pid in _alive(processes | _descendants(honcho.pid)):   # a failed test leaves none
            os.kill(pid, signal.SIGKILL)
        if honcho.poll() is None:
            honcho.kill()
            honcho.wait()
    # Exit code 0, not -9: each stopped by itself on SIGTERM, within honcho's 5 s grace.
    output = log.read_text()
    assert "worker.1 stopped (rc=0)" in output and "web.1 stopped (rc=0)" in output
    with sqlite3.connect(instance / "siklus.db") as conn:
        assert conn.execute("SELECT count(*) FROM worker_leases").fetchone()[0] == 0
