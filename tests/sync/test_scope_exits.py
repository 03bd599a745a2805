"""`_scope_exits`: a person who moves desa leaves the old desa's tablets, which purge them."""

from __future__ import annotations

from backend.writes import save_docs
from tests import factories as f


def move(doc: dict, desa: str) -> None:
    rev = save_docs([doc], None)[0]["rev"]
    save_docs([{**doc, "_rev": rev, "desa": desa}], None)


def test_moved_person_is_reported_to_the_old_desa_only(couch):
    doc = f.person()
    move(doc, f.DESA_B)
    old, new = couch("pustu_a"), couch("pustu_b")
    exits = old.get("/_scope_exits?since=0").json
    assert [(e["id"], e["from"]) for e in exits["results"]] == [(doc["_id"], f.DESA_A)]
    assert new.get("/_scope_exits").json["results"] == []
    # ...and from now on the document travels with the new desa's changes only
    assert doc["_id"] not in [r["id"] for r in old.get("/_changes").json["results"]]
    assert doc["_id"] in [r["id"] for r in new.get("/_changes").json["results"]]


def test_scope_exit_checkpoint_moves_past_everything_examined(couch):
    doc = f.person()
    move(doc, f.DESA_B)
    first = couch("pustu_a").get("/_scope_exits?since=0").json
    again = couch("pustu_a").get(f"/_scope_exits?since={first['last_seq']}").json
    assert again == {"results": [], "last_seq": first["last_seq"]}


def test_scope_exits_page_by_limit(couch):
    docs = [f.person() for _ in range(3)]
    for doc in docs:
        move(doc, f.DESA_B)
    page = couch("pustu_a").get("/_scope_exits?limit=2").json
    rest = couch("pustu_a").get(f"/_scope_exits?limit=2&since={page['last_seq']}").json
    assert [e["id"] for e in page["results"] + rest["results"]] == [d["_id"] for d in docs]


def test_a_person_who_came_back_is_not_purged(couch):
    doc = f.person()
    move(doc, f.DESA_B)
    current = couch("admin", basic=True).get(f"/{doc['_id']}").json
    save_docs([{**current, "desa": f.DESA_A}], None)
    assert couch("pustu_a").get("/_scope_exits").json["results"] == []


def test_users_seeing_both_desa_and_service_accounts_have_no_exits(couch):
    move(f.person(), f.DESA_B)
    assert couch("kapus").get("/_scope_exits").json["results"] == []
    assert couch("admin", basic=True).get("/_scope_exits").json["results"] == []
