"""`_local` checkpoint documents: 404 first, "0-N" revisions, rev-checked, per user."""

from __future__ import annotations

import pytest


def test_local_doc_is_missing_until_first_written(couch):
    response = couch("pustu_a").get("/_local/checkpoint")
    assert response.status_code == 404 and response.json["error"] == "not_found"


def test_local_doc_revisions_count_up_and_are_checked(couch):
    client = couch("pustu_a")
    first = client.put("/_local/cp", json={"last_seq": 5})
    second = client.put("/_local/cp", json={"_rev": "0-1", "last_seq": 9})
    stale = client.put("/_local/cp", json={"_rev": "0-1", "last_seq": 1})
    blind = client.put("/_local/cp", json={"last_seq": 1})
    assert (first.status_code, first.json["rev"]) == (201, "0-1")
    assert (second.status_code, second.json["rev"]) == (201, "0-2")
    assert stale.status_code == blind.status_code == 409
    assert client.get("/_local/cp").json == {"_id": "_local/cp", "_rev": "0-2", "last_seq": 9}


def test_checkpoints_of_two_users_never_collide(couch):
    kader, pustu = couch("kader_a"), couch("pustu_a")
    kader.put("/_local/same-replication-id", json={"last_seq": 40})
    assert pustu.get("/_local/same-replication-id").status_code == 404
    assert pustu.put("/_local/same-replication-id", json={"last_seq": 7}).json["rev"] == "0-1"
    assert kader.get("/_local/same-replication-id").json["last_seq"] == 40


def test_local_doc_delete_needs_the_current_rev(couch):
    client = couch("pustu_a")
    client.put("/_local/cp", json={"last_seq": 1})
    assert client.delete("/_local/cp?rev=0-9").status_code == 409
    deleted = client.delete("/_local/cp?rev=0-1")
    assert deleted.status_code == 200 and deleted.json == {"ok": True, "id": "_local/cp",
                                                           "rev": "0-0"}
    assert client.get("/_local/cp").status_code == 404
    assert client.delete("/_local/cp?rev=0-1").status_code == 404


def test_local_ids_may_contain_encoded_slashes(couch):
    client = couch("pustu_a")
    assert client.put("/_local/a%2Fb", json={"x": 1}).status_code == 201
    assert client.get("/_local/a%2Fb").json["_id"] == "_local/a/b"


@pytest.mark.parametrize("body", [b"{", b"[]", b"\xff"])
def test_local_doc_with_a_bad_body_is_a_bad_request(couch, body):
    response = couch("pustu_a").put("/_local/cp", data=body,
                                    headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json["error"] == "bad_request"
