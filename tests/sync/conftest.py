"""Sync fixtures: clients speaking to /sync/siklus, a live HTTP server, and the Node runner."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from tests import factories
from tests.live_server import serve

DB = "/sync/siklus"
ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"


class SyncClient:
    """A test client for /sync/siklus: logged in by cookie (the PWA's way, CSRF header on
    writes), by HTTP Basic (service accounts), or anonymous."""

    def __init__(self, app, username: str | None = None, basic: bool = False,
                 password: str = factories.PASSWORD):
        self.client = app.test_client()
        self.headers: dict[str, str] = {}
        if username and basic:
            token = base64.b64encode(f"{username}:{password}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        elif username:
            response = self.client.post("/api/v1/auth/login",
                                        json={"username": username, "password": password})
            assert response.status_code == 200, response.json
            self.headers["X-CSRF-Token"] = response.json["csrf_token"]

    def open(self, method: str, path: str = "", **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        url = path if path.startswith("/sync") else DB + path
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, path="", **kw):
        return self.open("GET", path, **kw)

    def post(self, path="", **kw):
        return self.open("POST", path, **kw)

    def put(self, path="", **kw):
        return self.open("PUT", path, **kw)

    def delete(self, path="", **kw):
        return self.open("DELETE", path, **kw)

    def bulk(self, docs, new_edits=True):
        return self.post("/_bulk_docs", json={"docs": docs, "new_edits": new_edits})


@pytest.fixture
def couch(app, world):
    """`couch("pustu_a")`, `couch("admin", basic=True)`, `couch(None)` for anonymous."""
    return lambda username, basic=False: SyncClient(app, username, basic)


@pytest.fixture
def live_server(app, world):
    """The same app object behind a real threaded HTTP server on a free port."""
    # Short waits: a longpoll left open by a finished Node client ends soon after the test.
    app.config["LONGPOLL_TIMEOUT_MS"] = 3000
    with serve(app) as url:
        yield url


def run_node(script: str, spec: dict, timeout: float = 600) -> dict:
    """Run tests/node/<script> with `spec` as JSON on stdin; its last stdout line is JSON.
    The timeout only stops a hung client: a loaded machine can slow a scenario severalfold."""
    proc = subprocess.run(["node", str(NODE_DIR / script)], input=json.dumps(spec),
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    if proc.returncode != 0:
        pytest.fail(f"node {script} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
