"""Federation with an upstream CouchDB (backend/sync/upstream.py), against pouchdb-server.

pouchdb-server (in memory) stands in for the district hub's Apache CouchDB: it speaks the
same HTTP protocol, and it is not our code, so a mistake on either side shows up.
"""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time
import uuid

import couchdb
import pytest

from backend.db import read_transaction
from backend.sync import reads, upstream
from backend.writes import save_docs
from tests import factories as f
from tests.sync.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory):
    port = _free_port()
    proc = subprocess.Popen(
        [str(ROOT / "node_modules/.bin/pouchdb-server"), "--in-memory", "--port", str(port)],
        cwd=tmp_path_factory.mktemp("pouchdb-server"), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    # Wait until it answers, not a fixed number of tries: Node loading pouchdb-server on a
    # busy machine can take far longer than on an idle one. The deadline is for a hung start.
    deadline = time.monotonic() + 120
    while True:
        try:
            couchdb.Server(url).version()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"pouchdb-server did not start (exit code {proc.poll()})")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def hub(hub_server, world):
    name = f"hub_{uuid.uuid4().hex[:8]}"
    couchdb.Server(hub_server).create(name)
    return upstream.connect(f"{hub_server}/{name}")


def local_rev(doc_id: str) -> str | None:
    with read_transaction() as conn:
        row = reads.load_rows(conn, [doc_id]).get(doc_id)
    return row.winner if row else None


def test_push_sends_everything_and_pull_brings_hub_edits_back(hub):
    person = f.person(desa=f.DESA_B)
    old = f.encounter(person, date=(dt.date.today() - dt.timedelta(days=900)).isoformat())
    save_docs([person, old], None)
    pushed = upstream.push(hub)
    assert (pushed.docs_written, pushed.failures) == (5, [])  # 3 places, person, encounter
    assert hub[old["_id"]]["_rev"] == local_rev(old["_id"])  # unwindowed, same revision
    edited = hub[person["_id"]]
    edited["name"] = "Dewi Lestari"
    hub.save(edited)
    pulled = upstream.pull(hub)
    assert pulled.docs_written == 1 and local_rev(person["_id"]) == edited["_rev"]


def test_a_second_run_resumes_from_its_checkpoints(hub):
    save_docs([f.person()], None)
    upstream.push(hub)
    upstream.pull(hub)
    again_push, again_pull = upstream.push(hub), upstream.pull(hub)
    assert again_push.docs_read == again_pull.docs_read == 0


def test_pull_refuses_documents_of_another_puskesmas(hub):
    foreign = f.person(desa="3273010001")
    hub.save(foreign)
    report = upstream.pull(hub)
    assert [(r["id"], r["error"]) for r in report.failures] == [(foreign["_id"], "forbidden")]
    assert local_rev(foreign["_id"]) is None


def test_concurrent_edits_on_hub_and_server_are_merged_and_sent_back(hub):
    person = f.person(phone="0811111111")
    rev = save_docs([person], None)[0]["rev"]
    upstream.push(hub)
    ts = "2026-02-01T08:00:00+07:00"
    save_docs([{**person, "_rev": rev, "name": "Siti Lokal", "field_ts": {"name": ts}}], None)
    remote = hub[person["_id"]]
    remote.update(phone="0822222222", field_ts={"phone": ts})
    hub.save(remote)
    upstream.pull(hub)
    upstream.push(hub)
    merged = hub.get(person["_id"], conflicts=True)
    assert (merged["name"], merged["phone"]) == ("Siti Lokal", "0822222222")
    assert "_conflicts" not in merged and merged["_rev"] == local_rev(person["_id"])


def test_cli_replicates_both_ways(hub, runner):
    save_docs([f.person()], None)
    result = runner.invoke(args=["upstream-sync", hub.resource.url])
    assert result.exit_code == 0, result.output
    assert "pull: read 0" in result.output and "push: read 4, wrote 4" in result.output


def test_cli_reports_an_unreachable_hub(runner, world):
    result = runner.invoke(args=["upstream-sync", f"http://user:pw@127.0.0.1:{_free_port()}/x"])
    assert result.exit_code != 0 and "pw" not in result.output


def test_pull_waits_for_a_reference_that_comes_in_a_later_batch(hub):
    """The hub's change order need not follow the references: the visit comes first."""
    person = f.person()
    visit = f.encounter(person)
    hub.save(visit)
    hub.save(person)
    report = upstream.pull(hub, batch_size=1)
    assert report.failures == [] and report.docs_written == 2
    assert local_rev(visit["_id"]) and local_rev(person["_id"])


def test_pull_does_not_checkpoint_past_a_document_still_waiting(hub):
    visit = f.encounter(f.person())   # its person is nowhere
    hub.save(visit)
    first, second = upstream.pull(hub), upstream.pull(hub)
    assert [r["code"] for r in first.failures] == ["reference_missing"]
    assert second.docs_read == 1   # read again, not skipped
