"""One document over HTTP: GET with CouchDB's options, PUT, DELETE, POST, attachments."""

from __future__ import annotations

import base64
import json

from backend.db import write_transaction
from backend.writes import write_docs
from tests import factories as f


def branches(doc: dict, *names: str) -> list[dict]:
    """A common ancestor 1-aaa and one child per name, as two tablets would replicate them."""
    base = {**doc, "_rev": "1-aaa", "_revisions": {"start": 1, "ids": ["aaa"]}}
    return [base] + [{**doc, "name": name, "_rev": f"2-{name.lower()}",
                      "_revisions": {"start": 2, "ids": [name.lower(), "aaa"]}}
                     for name in names]


def seed_conflict(doc: dict) -> None:
    """Written past the HTTP layer, so the resolver leaves the conflict in place."""
    with write_transaction() as conn:
        write_docs(conn, branches(doc, "Kiri", "Kanan"), None, new_edits=False)


def test_put_get_update_delete_cycle(couch):
    client, doc = couch("pustu_a"), f.person()
    created = client.put(f"/{doc['_id']}", json=doc)
    assert created.status_code == 201 and created.json["ok"]
    rev1 = created.json["rev"]
    assert client.get(f"/{doc['_id']}").json["_rev"] == rev1
    updated = client.put(f"/{doc['_id']}?rev={rev1}", json={**doc, "name": "Siti A."})
    rev2 = updated.json["rev"]
    deleted = client.delete(f"/{doc['_id']}?rev={rev2}")
    assert deleted.status_code == 200 and deleted.json["rev"].startswith("3-")
    gone = client.get(f"/{doc['_id']}")
    assert gone.status_code == 404 and gone.json == {"error": "not_found", "reason": "deleted"}
    tombstone = client.get(f"/{doc['_id']}?rev={deleted.json['rev']}").json
    assert tombstone["_deleted"] is True


def test_document_outside_scope_reads_as_missing(couch):
    doc = f.person(desa=f.DESA_B)
    couch("pustu_b").put(f"/{doc['_id']}", json=doc)
    hidden = couch("pustu_a").get(f"/{doc['_id']}")
    absent = couch("pustu_a").get("/person:does-not-exist")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json == absent.json == {"error": "not_found", "reason": "missing"}
    assert couch("pustu_a").get(f"/{doc['_id']}?open_revs=all").status_code == 404


def test_single_document_refusals_answer_their_http_status(app, couch):
    client, doc = couch("pustu_a"), f.person()
    rev = client.put(f"/{doc['_id']}", json=doc).json["rev"]
    client.put(f"/{doc['_id']}?rev={rev}", json={**doc, "name": "Baru"})
    app.config["MAX_ATTACHMENT_BYTES"] = 4
    with_attachment = {**f.person(), "_attachments": {"a.txt": {
        "content_type": "text/plain", "data": base64.b64encode(b"12345").decode()}}}
    stale = client.put(f"/{doc['_id']}?rev={rev}", json={**doc, "name": "Lama"})
    invalid = client.put("/person:x1", json={**f.person(sex="X"), "_id": "person:x1"})
    outside = f.person(desa=f.DESA_B)
    foreign = client.put(f"/{outside['_id']}", json=outside)
    too_big = client.put(f"/{with_attachment['_id']}", json=with_attachment)
    mismatch = client.put("/person:other", json=doc)
    assert (stale.status_code, stale.json["error"]) == (409, "conflict")
    assert (invalid.status_code, invalid.json["error"]) == (403, "forbidden")
    assert (foreign.status_code, foreign.json["error"]) == (403, "forbidden")
    assert (too_big.status_code, too_big.json["error"]) == (413, "attachment_too_large")
    assert (mismatch.status_code, mismatch.json["error"]) == (400, "bad_request")


def test_delete_without_rev_is_a_conflict(couch):
    doc = f.person()
    couch("pustu_a").put(f"/{doc['_id']}", json=doc)
    response = couch("pustu_a").delete(f"/{doc['_id']}")
    assert response.status_code == 409 and response.json["error"] == "conflict"


def test_post_creates_a_document_with_a_server_chosen_id(couch):
    doc = f.person()
    del doc["_id"]
    response = couch("pustu_a").post("/", json=doc)
    assert response.status_code == 201 and response.json["id"].startswith("person:")


def test_get_serves_revs_conflicts_and_open_revs(couch):
    doc = f.person()
    seed_conflict(doc)
    client, url = couch("pustu_a"), f"/{doc['_id']}"
    winner = client.get(f"{url}?revs=true&conflicts=true").json
    assert winner["_rev"] == "2-kiri"  # higher hash wins: "kiri" > "kanan"
    assert winner["_conflicts"] == ["2-kanan"]
    assert winner["_revisions"] == {"start": 2, "ids": ["kiri", "aaa"]}
    every = client.get(f"{url}?open_revs=all").json
    assert sorted(d["ok"]["_rev"] for d in every) == ["2-kanan", "2-kiri"]
    asked = json.dumps(["1-aaa", "2-kanan", "9-zzz"])
    latest = client.get(f"{url}?open_revs={asked}&latest=true&revs=true").json
    assert [d.get("ok", {}).get("_rev") or d["missing"] for d in latest] == [
        "2-kiri", "2-kanan", "9-zzz"]
    assert latest[0]["ok"]["_revisions"]["ids"] == ["kiri", "aaa"]


def test_malformed_open_revs_is_a_bad_request(couch):
    doc = f.person()
    couch("pustu_a").put(f"/{doc['_id']}", json=doc)
    for value in ("[1,2]", "not-json", json.dumps(["abc"])):
        response = couch("pustu_a").get(f"/{doc['_id']}?open_revs={value}")
        assert response.status_code == 400 and response.json["error"] == "bad_request"


def test_attachment_is_served_alone_and_inline(couch):
    data = b"%PDF-1.4 surat rujukan"
    doc = {**f.person(), "_attachments": {"surat/rujukan.pdf": {
        "content_type": "application/pdf", "data": base64.b64encode(data).decode()}}}
    client = couch("pustu_a")
    client.put(f"/{doc['_id']}", json=doc)
    alone = client.get(f"/{doc['_id']}/surat/rujukan.pdf")
    assert alone.status_code == 200 and alone.data == data
    assert alone.content_type == "application/pdf"
    inline = client.get(f"/{doc['_id']}?attachments=true").json["_attachments"]
    assert base64.b64decode(inline["surat/rujukan.pdf"]["data"]) == data
    missing = client.get(f"/{doc['_id']}/other.pdf")
    assert missing.status_code == 404 and missing.json["error"] == "not_found"
    assert couch("pustu_b").get(f"/{doc['_id']}/surat/rujukan.pdf").status_code == 404
