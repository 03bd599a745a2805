"""`_bulk_docs`: both edit modes, per-document authorization, and bad input of every kind.

A refused document gets its own `{"id","error","reason"}` entry and the rest of the batch
lands; a request that cannot be read at all is refused whole; a crash stores nothing.
"""

from __future__ import annotations

import base64

import pytest

from backend.db import read_transaction
from backend.sync import reads
from tests import factories as f


def info():
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


def stored(doc_id):
    with read_transaction() as conn:
        return doc_id in reads.load_rows(conn, [doc_id])


def test_bulk_docs_creates_and_updates_with_new_edits(couch):
    client, doc = couch("pustu_a"), f.person()
    [created] = client.bulk([doc]).json
    [updated] = client.bulk([{**doc, "_rev": created["rev"], "name": "Siti A."}]).json
    [stale] = client.bulk([{**doc, "_rev": created["rev"], "name": "Siti B."}]).json
    assert created["rev"].startswith("1-") and updated["rev"].startswith("2-")
    assert stale == {"id": doc["_id"], "error": "conflict", "reason": "Document update conflict."}


def test_replicated_batch_answers_its_failures_only(couch):
    good = {**f.person(), "_rev": "1-abc", "_revisions": {"start": 1, "ids": ["abc"]}}
    bad = {**f.person(nik="12"), "_rev": "1-abc"}
    response = couch("pustu_a").bulk([good, bad], new_edits=False)
    assert response.status_code == 201
    assert [(r["id"], r["error"], r["code"]) for r in response.json] == [
        (bad["_id"], "forbidden", "invalid")]
    assert stored(good["_id"]) and not stored(bad["_id"])


def test_bulk_docs_refuses_document_outside_scope(couch):
    mine, theirs = f.person(), f.person(desa=f.DESA_B)
    results = couch("pustu_a").bulk([mine, theirs]).json
    assert results[0]["ok"]
    assert results[1]["error"] == "forbidden" and f.DESA_B in results[1]["reason"]
    assert results[1]["code"] == "area"
    assert stored(mine["_id"]) and not stored(theirs["_id"])


def test_bulk_docs_refuses_moving_a_document_out_of_scope_and_editing_foreign_ones(couch):
    doc = f.person(desa=f.DESA_B)
    [created] = couch("pustu_b").bulk([doc]).json
    edit = {**doc, "_rev": created["rev"], "desa": f.DESA_A}
    [result] = couch("pustu_a").bulk([edit]).json
    assert result["error"] == "forbidden" and "outside your area" in result["reason"]


def test_role_decides_which_types_it_writes(couch):
    person = f.person()
    couch("pustu_a").bulk([person])
    [task] = couch("kader_a").bulk([f.task(person)]).json
    [pustu_task] = couch("pustu_a").bulk([f.task(person)]).json
    assert task["error"] == "forbidden" and task["code"] == "role"
    assert "kader" in task["reason"] and pustu_task["ok"]
    # A jejaring FKTP does not replicate at all: its cases go through /api/v1/pws/fktp.
    refused = couch("fktp_a").bulk([f.task(person)])
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"


def test_reference_documents_are_written_by_admins_only(couch, world):
    place = f.place("posyandu", "Posyandu Mawar", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    [refused] = couch("pustu_a").bulk([place]).json
    [accepted] = couch("admin").bulk([place]).json
    assert refused["error"] == "forbidden" and accepted["ok"]
    # ...and every user reads them
    assert couch("kader_a").get(f"/{place['_id']}").status_code == 200


@pytest.mark.parametrize("body", [
    b'{"docs": [{"_id": "person:1"', b"not json at all", b"\xff\xfe{}", b"[]",
    b'{"docs": {"_id": "x"}}', b'{"docs": [], "new_edits": "no"}', b"",
    # NaN and Infinity are not JSON (RFC 8259); Python's json.loads would take them
    b'{"docs": [{"_id": "person:n", "measurements": {"weight_kg": NaN}}]}',
    b'{"docs": [{"_id": "person:n", "x": -Infinity}]}'])
def test_unreadable_request_is_a_bad_request_and_stores_nothing(couch, body):
    before = info()
    response = couch("pustu_a").post("/_bulk_docs", data=body,
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json["error"] == "bad_request"
    assert info() == before


def _attachment(size: int) -> dict:
    return {"foto.jpg": {"content_type": "image/jpeg",
                         "data": base64.b64encode(b"x" * size).decode()}}


BAD_REPLICATED = {
    "no id": ({"type": "person", "_rev": "1-a"}, "bad_request"),
    "no rev": (f.person(), "bad_request"),
    "unparsable rev": ({**f.person(), "_rev": "one-abc"}, "bad_request"),
    "history not ending at rev": (
        {**f.person(), "_rev": "3-c", "_revisions": {"start": 2, "ids": ["b", "a"]}},
        "bad_request"),
    "unknown type": ({"_id": "patient:1", "type": "patient", "_rev": "1-a"}, "forbidden"),
    "schema failure": ({**f.person(sex="X"), "_rev": "1-a"}, "forbidden"),
    "oversized attachment": ({**f.person(), "_rev": "1-a", "_attachments": _attachment(50)},
                             "forbidden"),
    "not an object": ("person:1", "bad_request"),
}


def test_each_bad_document_gets_its_own_error_and_the_rest_lands(app, couch):
    app.config["MAX_ATTACHMENT_BYTES"] = 10
    good = {**f.person(), "_rev": "1-abc"}
    before = info()
    docs = [doc for doc, _ in BAD_REPLICATED.values()] + [good]
    results = couch("pustu_a").bulk(docs, new_edits=False).json
    assert [r["error"] for r in results] == [error for _, error in BAD_REPLICATED.values()]
    assert all(r["reason"] for r in results)
    assert stored(good["_id"]) and info()["update_seq"] == before["update_seq"] + 1


def test_crash_mid_batch_over_http_stores_nothing(couch, monkeypatch):
    before = info()

    def explode(conn, changes):
        raise RuntimeError("disk full")

    monkeypatch.setattr("backend.projections.project", explode)
    response = couch("pustu_a").bulk([f.person(), f.person(), f.person()])
    assert response.status_code == 500
    assert response.json["error"] == "internal_server_error"
    assert info() == before


def test_batches_beyond_the_limit_are_refused_whole(app, couch):
    app.config["BULK_MAX_DOCS"] = 2
    response = couch("pustu_a").bulk([f.person() for _ in range(3)])
    assert response.status_code == 413 and response.json["error"] == "too_large"
