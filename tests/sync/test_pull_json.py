"""Pull reads written as text around stored bodies (doc_json.py): byte-exact CouchDB JSON for
unicode, empty and tombstone bodies, attachment stubs, conflicts and every leaf."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from backend.db import read_transaction
from backend.sync import changes_feed, doc_json
from backend.writes import save_docs
from tests import factories as f
from tests.sync.test_docs import seed_conflict

UNICODE_NAME = 'Siti "Ńur"\tḤasanah \\ 😀\u2028\n ꦱꦶꦠꦶ'


def compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def bulk_get(client, docs: list[dict], query: str = "?revs=true&latest=true"):
    response = client.post(f"/_bulk_get{query}", json={"docs": docs})
    assert response.status_code == 200 and response.content_type == "application/json"
    return response


def test_bulk_get_serves_the_stored_body_between_meta_fields_byte_for_byte(couch):
    doc = f.person(name=UNICODE_NAME)
    rev = save_docs([doc], None)[0]["rev"]
    response = bulk_get(couch("pustu_a"), [{"id": doc["_id"], "rev": rev}])
    body = {k: v for k, v in doc.items() if k != "_id"}
    expected = {"results": [{"id": doc["_id"], "docs": [{"ok": {
        "_id": doc["_id"], "_rev": rev, **body,
        "_revisions": {"start": 1, "ids": [rev.split("-", 1)[1]]}}}]}]}
    assert response.data == compact(expected)
    assert response.json["results"][0]["docs"][0]["ok"]["name"] == UNICODE_NAME


def test_tombstones_with_and_without_a_body(couch):
    bare, kept = f.person(), f.person(name="Tetap")
    bare_rev, kept_rev = (r["rev"] for r in save_docs([bare, kept], None))
    gone = save_docs([{"_id": bare["_id"], "_rev": bare_rev, "_deleted": True},
                      {**kept, "_rev": kept_rev, "_deleted": True}], None)
    response = bulk_get(couch("pustu_a"), [{"id": bare["_id"]}, {"id": kept["_id"]}])
    empty, full = (r["docs"][0]["ok"] for r in response.json["results"])
    assert empty == {"_id": bare["_id"], "_rev": gone[0]["rev"], "_deleted": True,
                     "_revisions": {"start": 2, "ids": [gone[0]["rev"][2:], bare_rev[2:]]}}
    assert full["name"] == "Tetap" and full["_deleted"] is True
    assert list(full)[:2] == ["_id", "_rev"] and list(full)[-2:] == ["_deleted", "_revisions"]


@pytest.mark.parametrize(("stored", "members"), [
    ("{}", ""), ("{ }", ""), (' {"a":1} ', '"a":1'), ('{"a":{}}', '"a":{}'),
    ('\n{ "a" : [1, {}] }\n', ' "a" : [1, {}] ')])
def test_members_of_a_stored_body(stored, members):
    assert doc_json.members(stored) == members
    spliced = "{" + ",".join(p for p in ['"_id":"x"', doc_json.members(stored)] if p) + "}"
    assert json.loads(spliced) == {"_id": "x", **json.loads(stored)}


def test_bulk_get_keeps_attachment_stubs_unless_asked_to_inline(couch):
    data = "Surat rujukan ✓".encode()
    doc = {**f.person(), "_attachments": {"surat/rujukan.txt": {
        "content_type": "text/plain", "data": base64.b64encode(data).decode()}}}
    rev = save_docs([doc], None)[0]["rev"]
    client, wanted = couch("pustu_a"), [{"id": doc["_id"], "rev": rev}]
    stub = bulk_get(client, wanted).json["results"][0]["docs"][0]["ok"]["_attachments"]
    assert stub["surat/rujukan.txt"]["stub"] is True
    assert stub["surat/rujukan.txt"]["length"] == len(data)
    inline = bulk_get(client, wanted, "?revs=true&attachments=true").json
    inlined = inline["results"][0]["docs"][0]["ok"]
    assert base64.b64decode(inlined["_attachments"]["surat/rujukan.txt"]["data"]) == data
    assert "stub" not in inlined["_attachments"]["surat/rujukan.txt"]
    assert inlined["_revisions"]["start"] == 1 and inlined["name"] == doc["name"]


def test_bulk_get_of_a_conflict_serves_each_leaf_and_the_latest_of_their_ancestor(couch):
    doc = f.person()
    seed_conflict(doc)  # 1-aaa with children 2-kiri (winner) and 2-kanan
    response = bulk_get(couch("pustu_a"), [
        {"id": doc["_id"], "rev": "2-kanan"}, {"id": doc["_id"], "rev": "1-aaa"},
        {"id": doc["_id"]}], "?revs=true&latest=true&conflicts=true")
    loser, ancestor, winner = response.json["results"]
    assert [d["ok"]["name"] for d in loser["docs"]] == ["Kanan"]
    assert "_conflicts" not in loser["docs"][0]["ok"]
    assert [d["ok"]["_rev"] for d in ancestor["docs"]] == ["2-kiri", "2-kanan"]
    assert winner["docs"][0]["ok"]["_conflicts"] == ["2-kanan"]
    assert winner["docs"][0]["ok"]["_revisions"] == {"start": 2, "ids": ["kiri", "aaa"]}


def test_bulk_get_without_latest_answers_a_compacted_ancestor_as_missing(couch):
    doc = f.person()
    seed_conflict(doc)
    response = bulk_get(couch("pustu_a"), [{"id": doc["_id"], "rev": "1-aaa"}], "?revs=true")
    assert response.json["results"][0]["docs"] == [{"error": {
        "id": doc["_id"], "rev": "1-aaa", "error": "not_found", "reason": "missing"}}]


def test_open_revs_all_is_written_for_every_leaf(couch):
    doc = f.person(name=UNICODE_NAME)
    seed_conflict(doc)
    response = couch("pustu_a").get(f"/{doc['_id']}?open_revs=all&revs=true")
    assert response.content_type == "application/json"
    leaves = {d["ok"]["_rev"]: d["ok"] for d in response.json}
    assert sorted(leaves) == ["2-kanan", "2-kiri"]
    assert leaves["2-kanan"]["_revisions"] == {"start": 2, "ids": ["kanan", "aaa"]}


def test_changes_lists_deleted_leaves_in_all_docs_style_and_unicode_docs(couch):
    doc = f.person(name=UNICODE_NAME)
    save_docs([{**doc, "_rev": "1-aaa"}, {**doc, "_rev": "2-bbb",
               "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}},
               {"_id": doc["_id"], "_rev": "2-ccc", "_deleted": True,
               "_revisions": {"start": 2, "ids": ["ccc", "aaa"]}}], None, new_edits=False)
    client = couch("pustu_a")
    page = client.get("/_changes?style=all_docs&include_docs=true&conflicts=true")
    [entry] = [r for r in page.json["results"] if r["id"] == doc["_id"]]
    assert entry["changes"] == [{"rev": "2-bbb"}, {"rev": "2-ccc"}]  # winner first
    assert "deleted" not in entry and "_conflicts" not in entry["doc"]
    assert entry["doc"]["name"] == UNICODE_NAME and entry["doc"]["_rev"] == "2-bbb"
    [main] = [r for r in client.get("/_changes").json["results"] if r["id"] == doc["_id"]]
    assert main == {"seq": entry["seq"], "id": doc["_id"], "changes": [{"rev": "2-bbb"}]}


def test_changes_feed_merges_scopes_in_seq_order_across_pages(couch, world):
    docs = [f.person(desa=f.DESA_A if i % 3 else f.DESA_B) for i in range(9)]
    for doc in docs:  # one write each, interleaving the two desa in seq order
        save_docs([doc], None)
    client = couch("kapus")  # both desa and the reference documents: three ranges
    seqs, since = [], 0
    while True:
        page = client.get(f"/_changes?since={since}&limit=2").json
        if not page["results"]:
            break
        seqs += [r["seq"] for r in page["results"]]
        since = page["last_seq"]
    assert seqs == list(range(1, 13))  # the world's three places, then the nine persons


def test_a_scoped_page_is_read_from_the_scope_seq_index(app, world):
    with read_transaction() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("PostgreSQL chooses by its statistics; SQLite's plan is fixed")
        query = changes_feed._query(with_docs=False, windowed=True, one_scope=True).params(
            since=0, upto=10, cutoff=dt.date(2020, 1, 1), scope=f.DESA_A, limit=200)
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        plan = " ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX ix_documents_scope_seq (scope=? AND seq>? AND seq<?)" in plan
    assert "TEMP B-TREE" not in plan  # no sort: the index yields seq order
