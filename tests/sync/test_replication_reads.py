"""`_revs_diff` and `_bulk_get`, the two calls that make PouchDB replication cheap."""

from __future__ import annotations

from backend.writes import save_docs
from tests import factories as f


def test_revs_diff_lists_unknown_revisions_with_possible_ancestors(couch):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    response = couch("pustu_a").post("/_revs_diff", json={
        doc["_id"]: [rev, "3-abc"], "person:new": ["1-x", "1-x"]})
    assert response.json == {doc["_id"]: {"missing": ["3-abc"], "possible_ancestors": [rev]},
                             "person:new": {"missing": ["1-x"]}}


def test_revs_diff_possible_ancestors_follow_couchdb(couch):
    # A leaf older than *any* missing revision qualifies (couch_db:find_missing).
    doc = f.person()
    save_docs([{**doc, "_rev": "2-b", "_revisions": {"start": 2, "ids": ["b", "a"]}}], None,
              new_edits=False)
    answer = couch("pustu_a").post("/_revs_diff", json={doc["_id"]: ["1-z", "3-c"]}).json
    assert answer[doc["_id"]] == {"missing": ["1-z", "3-c"], "possible_ancestors": ["2-b"]}


def test_revs_diff_hides_documents_outside_scope(couch):
    doc = f.person(desa=f.DESA_B)
    rev = save_docs([doc], None)[0]["rev"]
    answer = couch("pustu_a").post("/_revs_diff", json={doc["_id"]: [rev]}).json
    assert answer == {doc["_id"]: {"missing": [rev]}}
    assert couch("pustu_b").post("/_revs_diff", json={doc["_id"]: [rev]}).json == {}


def test_revs_diff_refuses_malformed_requests(couch):
    for body in ([["person:1"]], {"person:1": "1-a"}, {"person:1": [1]}):
        response = couch("pustu_a").post("/_revs_diff", json=body)
        assert response.status_code == 400 and response.json["error"] == "bad_request"


def test_bulk_get_answers_each_request_with_history(couch):
    a, b = f.person(), f.person()
    rev_a, rev_b = (r["rev"] for r in save_docs([a, b], None))
    rev_a2 = save_docs([{**a, "_rev": rev_a, "name": "Siti A."}], None)[0]["rev"]
    response = couch("pustu_a").post("/_bulk_get?revs=true&latest=true", json={"docs": [
        {"id": a["_id"], "rev": rev_a}, {"id": b["_id"]}, {"id": b["_id"], "rev": "9-x"}]})
    first, second, third = response.json["results"]
    assert first["docs"][0]["ok"]["_rev"] == rev_a2  # latest: the leaf that replaced rev_a
    assert first["docs"][0]["ok"]["_revisions"]["start"] == 2
    assert second["docs"][0]["ok"]["_rev"] == rev_b
    assert third["docs"] == [{"error": {"id": b["_id"], "rev": "9-x", "error": "not_found",
                                        "reason": "missing"}}]


def test_bulk_get_does_not_reveal_documents_outside_scope(couch):
    doc = f.person(desa=f.DESA_B)
    rev = save_docs([doc], None)[0]["rev"]
    hidden = couch("pustu_a").post("/_bulk_get", json={"docs": [{"id": doc["_id"], "rev": rev}]})
    absent = couch("pustu_a").post("/_bulk_get", json={"docs": [{"id": "person:none",
                                                                  "rev": rev}]})
    assert hidden.json["results"][0]["docs"][0]["error"]["error"] == "not_found"
    assert (hidden.json["results"][0]["docs"][0]["error"]["reason"]
            == absent.json["results"][0]["docs"][0]["error"]["reason"])


def test_bulk_get_refuses_malformed_requests(couch):
    for body in ({"docs": [{"rev": "1-a"}]}, {"docs": "x"}, {"docs": [{"id": 1}]}, []):
        response = couch("pustu_a").post("/_bulk_get", json=body)
        assert response.status_code == 400 and response.json["error"] == "bad_request"
