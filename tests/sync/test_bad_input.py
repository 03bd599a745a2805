"""Malformed /sync input answers a CouchDB-shaped 4xx, refuses only the bad document of a batch,
and leaves the store as it was (issue 10: each of these answered 500 or was stored)."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from backend.db import read_transaction
from backend.sync import reads
from tests import factories as f

DEEP = b"[" * 5000 + b"]" * 5000


def info():
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


@pytest.fixture
def pustu(couch):
    return couch("pustu_a")


def _refusal(response, doc_id) -> dict:
    assert response.status_code == 201, response.json
    [result] = [r for r in response.json if r["id"] == doc_id]
    return result


@pytest.mark.parametrize("path", ["/_bulk_docs", "/_revs_diff", "/_bulk_get",
                                  "/_changes?filter=_doc_ids"])
def test_json_nested_too_deep_is_a_400_not_a_crash(pustu, path):
    before = info()
    response = pustu.post(path, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"] == "bad_request" and "nested" in response.json["reason"]
    assert info() == before


def test_deep_document_inside_a_batch_is_refused(pustu):
    text = json.dumps({"docs": [{**f.person(), "notes": "DEEP"}]})
    text = text.replace('"DEEP"', "[" * 80 + "]" * 80)
    response = pustu.post("/_bulk_docs", data=text, content_type="application/json")
    assert response.status_code == 400 and "64" in response.json["reason"]


def test_json_query_parameter_nested_too_deep_is_a_400(pustu):
    person = f.person()
    pustu.bulk([person])
    response = pustu.get(f"/{person['_id']}?open_revs=" + "[" * 3000 + "]" * 3000)
    assert response.status_code == 400 and response.json["error"] == "bad_request"


def test_lone_surrogate_refuses_the_document_and_the_rest_of_the_batch_proceeds(pustu):
    bad, good = f.person(name="a\ud800b"), f.person(name="Ani")
    response = pustu.bulk([bad, good])
    refused = _refusal(response, bad["_id"])
    assert refused["error"] == "forbidden" and refused["code"] == "invalid"
    assert "surrogate" in refused["reason"] and "name" in refused["reason"]
    assert _refusal(response, good["_id"])["ok"] is True
    assert pustu.get(f"/{bad['_id']}").status_code == 404


def test_replicated_batch_with_a_lone_surrogate_does_not_stop_the_device(pustu):
    """PouchDB resends a failed batch forever: the bad document must be refused alone."""
    bad, good = f.person(name="\udc00"), f.person()
    bad["_rev"], good["_rev"] = "1-" + "a" * 32, "1-" + "b" * 32
    response = pustu.bulk([bad, good], new_edits=False)
    assert response.status_code == 201
    assert [(r["id"], r["code"]) for r in response.json] == [(bad["_id"], "invalid")]
    assert pustu.get(f"/{good['_id']}").status_code == 200


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "a\x7fb"])
def test_control_characters_in_text_are_refused(pustu, text):
    doc = f.person(name=text)
    refused = _refusal(pustu.bulk([doc]), doc["_id"])
    assert refused["code"] == "invalid" and "control character" in refused["reason"]


def test_tab_and_newline_in_free_text_are_kept(pustu):
    person = f.person()
    pustu.bulk([person])
    doc = f.encounter(person, notes="Baris satu\n\tbaris dua")
    assert "error" not in _refusal(pustu.bulk([doc]), doc["_id"])


# A fixed UUID, not uuid4(): test ids must be the same in every pytest-xdist worker.
SOME_UUID = uuid.UUID("3f2b8c1e-6a4d-4b7e-9c2a-1d5e8f0a7b64")


@pytest.mark.parametrize("doc_id", [
    "person:a/b", "person:\x00abc", "person:abc", "person:1", "person:\ud800",
    f"person:{str(SOME_UUID).upper()}", f"person:{SOME_UUID.hex}",
    f"person:{SOME_UUID}\n", f"Person:{SOME_UUID}", f"person:{SOME_UUID}/x",
])
def test_ids_must_be_type_and_lowercase_uuid(pustu, doc_id):
    before = info()
    doc = {**f.person(), "_id": doc_id}
    refused = _refusal(pustu.bulk([doc]), doc_id)
    assert refused["error"] == "forbidden" and refused["code"] == "bad_id"
    assert info() == before


def test_uuid_of_any_version_is_accepted(pustu):
    v7 = "018f3c1e-7b2a-7c3d-9e4f-0a1b2c3d4e5f"
    doc = {**f.person(), "_id": f"person:{v7}"}
    assert _refusal(pustu.bulk([doc]), doc["_id"])["ok"] is True


def test_reference_must_be_a_uuid_id(pustu):
    doc = f.person(household="household:1a2b")
    refused = _refusal(pustu.bulk([doc]), doc["_id"])
    assert refused["code"] == "invalid" and "household" in refused["reason"]


def test_unknown_schema_version_is_refused_with_its_code(pustu):
    before = info()
    doc = f.person(schema=99)
    refused = _refusal(pustu.bulk([doc]), doc["_id"])
    assert refused["code"] == "schema_version" and "99" in refused["reason"]
    assert info() == before


def _with_attachment(content_type: object) -> dict:
    data = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    return f.person(_attachments={"foto.png": {"content_type": content_type, "data": data}})


@pytest.mark.parametrize("content_type", [5, "text/html", "image/svg+xml", "5", None,
                                          "image/png\r\nX-Evil: 1"])
def test_attachment_content_type_outside_the_allow_list_is_refused(pustu, content_type):
    before = info()
    doc = _with_attachment(content_type)
    refused = _refusal(pustu.bulk([doc]), doc["_id"])
    assert refused["code"] in {"attachment", "invalid"}
    assert info() == before


def test_attachment_is_served_with_its_type_and_nosniff(pustu):
    doc = _with_attachment("image/png")
    assert "error" not in _refusal(pustu.bulk([doc]), doc["_id"])
    response = pustu.get(f"/{doc['_id']}/foto.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_revs_diff_with_an_unparsable_rev_on_an_existing_id_is_a_400(pustu):
    doc = f.person()
    pustu.bulk([doc])
    response = pustu.post("/_revs_diff", json={doc["_id"]: ["not-a-rev", "x"]})
    assert response.status_code == 400 and response.json["error"] == "bad_request"


@pytest.mark.parametrize("query", [
    "since=123456789012345678901234567", "since=-5", "since=1e9", "since=9007199254740992",
    "limit=123456789012345678901234567", "timeout=99999999999999999999",
    "heartbeat=99999999999999999999", "feed=longpoll&timeout=-1",
    "doc_ids=" + "[" * 500 + "]" * 500 + "&filter=_doc_ids",
])
def test_changes_refuses_absurd_parameters(pustu, query):
    response = pustu.get(f"/_changes?{query}")
    assert response.status_code == 400, response.data
    assert response.json["error"] == "bad_request"


def test_changes_since_a_couchdb_sequence_still_works(pustu):
    assert pustu.get("/_changes?since=0-g1AAAA").status_code == 200


def test_scope_exits_refuses_a_huge_since(pustu):
    response = pustu.get("/_scope_exits?since=123456789012345678901234567")
    assert response.status_code == 400 and response.json["error"] == "bad_request"
