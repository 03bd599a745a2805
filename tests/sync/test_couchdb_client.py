"""The `couchdb` Python package — an independent CouchDB client — against a live /sync."""

from __future__ import annotations

import couchdb
import pytest

from tests import factories as f


@pytest.fixture
def hub_db(live_server):
    """The server as a CouchDB client sees it, logged in as a service account."""
    server = couchdb.Server(live_server.replace("://", f"://admin:{f.PASSWORD}@") + "/sync/")
    return server["siklus"]


def test_couchdb_client_saves_reads_and_updates_a_document(hub_db):
    doc = f.person()
    doc_id, rev = hub_db.save(doc)
    assert (doc_id, rev.split("-")[0]) == (doc["_id"], "1")
    fetched = hub_db[doc_id]
    fetched["name"] = "Siti Rahayu"
    hub_db.save(fetched)
    assert hub_db.get(doc_id)["name"] == "Siti Rahayu"
    with pytest.raises(couchdb.http.ResourceConflict):
        hub_db.save({**doc, "_rev": rev})
    assert hub_db.info()["doc_count"] == 4


def test_couchdb_client_reads_changes_since_a_sequence(hub_db):
    since = hub_db.info()["update_seq"]
    first, second = f.person(), f.person(desa=f.DESA_B)
    hub_db.save(first)
    hub_db.save(second)
    feed = hub_db.changes(since=since, style="all_docs")
    assert [r["id"] for r in feed["results"]] == [first["_id"], second["_id"]]
    assert feed["last_seq"] == since + 2


def test_couchdb_client_bulk_writes_replicated_revisions(hub_db):
    good = {**f.person(), "_rev": "3-ccc", "_revisions": {"start": 3, "ids": ["ccc", "bbb",
                                                                              "aaa"]}}
    bad = {**f.person(sex="?"), "_rev": "1-aaa"}
    results = hub_db.update([good, bad], new_edits=False)
    assert [(ok, doc_id) for ok, doc_id, _ in results] == [(False, bad["_id"])]
    assert hub_db.get(good["_id"])["_rev"] == "3-ccc"
    assert [d.rev for d in hub_db.revisions(good["_id"])] == ["3-ccc"]


def test_couchdb_client_sees_couchdb_errors(live_server):
    anonymous = couchdb.Server(live_server + "/sync/")
    with pytest.raises(couchdb.http.Unauthorized):
        anonymous["siklus"].info()
