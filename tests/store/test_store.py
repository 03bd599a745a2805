"""The document store's write and read paths on both databases."""

from __future__ import annotations

import base64
import json
import random

import pytest
import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.projections.tables import persons
from backend.sync import reads, revtree
from backend.sync.tables import archived_revisions, documents, losing_leaves
from backend.writes import save_docs, write_docs
from tests import factories as f
from tests.store.history import RandomHistory


def info():
    with read_transaction() as conn:
        return reads.info(conn, "siklus")


def get(doc_id, **opts):
    rev = opts.pop("rev", None)
    with read_transaction() as conn:
        return reads.get_doc(conn, doc_id, rev, reads.ReadOptions(**opts))


def test_new_document_gets_generation_one_and_is_counted(world):
    before = info()
    doc = f.person()
    [result] = save_docs([doc], None)
    assert result["ok"] and result["rev"].startswith("1-")
    after = info()
    assert after["doc_count"] == before["doc_count"] + 1
    assert after["update_seq"] == before["update_seq"] + 1
    assert get(doc["_id"])["name"] == "Siti Aminah"


def test_update_needs_the_current_rev_or_conflicts(world):
    doc = f.person()
    rev1 = save_docs([doc], None)[0]["rev"]
    rev2 = save_docs([{**doc, "_rev": rev1, "name": "Siti A."}], None)[0]["rev"]
    stale = save_docs([{**doc, "_rev": rev1, "name": "Siti B."}], None)[0]
    missing = save_docs([{**doc, "name": "Siti C."}], None)[0]
    assert stale["error"] == missing["error"] == "conflict"
    assert get(doc["_id"])["_rev"] == rev2 and get(doc["_id"])["name"] == "Siti A."


def test_replicated_branches_become_conflicts_and_the_higher_hash_wins(world):
    doc = f.person()
    base = {**doc, "_rev": "1-aaa", "_revisions": {"start": 1, "ids": ["aaa"]}}
    left = {**doc, "name": "Kiri", "_rev": "2-bbb",
            "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}}
    right = {**doc, "name": "Kanan", "_rev": "2-ccc",
             "_revisions": {"start": 2, "ids": ["ccc", "aaa"]}}
    assert save_docs([base, left, right], None, new_edits=False) == [
        {"ok": True, "id": doc["_id"], "rev": r} for r in ("1-aaa", "2-bbb", "2-ccc")]
    current = get(doc["_id"], conflicts=True, revs=True)
    assert current["_rev"] == "2-ccc" and current["name"] == "Kanan"
    assert current["_conflicts"] == ["2-bbb"]
    assert current["_revisions"] == {"start": 2, "ids": ["ccc", "aaa"]}
    with read_transaction() as conn:
        assert conn.execute(sa.select(persons.c.name)).scalar_one() == "Kanan"
        # the winner's body is on the documents row, the losing leaf's in losing_leaves, and
        # the common ancestor's is compacted away
        winner = conn.execute(sa.select(documents.c.winner, documents.c.body).where(
            documents.c.id == doc["_id"])).one()
        losing = conn.execute(sa.select(losing_leaves.c.rev, losing_leaves.c.body)).all()
    assert winner.winner == "2-ccc" and '"Kanan"' in winner.body
    assert [(r.rev, '"Kiri"' in r.body) for r in losing] == [("2-bbb", True)]


def test_deleting_the_winner_lets_the_conflict_win(world):
    doc = f.person()
    save_docs([{**doc, "_rev": "2-bbb", "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}},
               {**doc, "name": "Kanan", "_rev": "2-ccc",
                "_revisions": {"start": 2, "ids": ["ccc", "aaa"]}}], None, new_edits=False)
    [result] = save_docs([{"_id": doc["_id"], "_rev": "2-ccc", "_deleted": True}], None)
    assert result["ok"] and result["rev"].startswith("3-")
    assert get(doc["_id"])["_rev"] == "2-bbb"


def test_deleted_document_is_a_tombstone_and_leaves_the_read_model(world):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    before = info()
    [result] = save_docs([{"_id": doc["_id"], "_rev": rev, "_deleted": True}], None)
    assert result["ok"]
    with pytest.raises(reads.DocError) as exc:
        get(doc["_id"])
    assert exc.value.reason == "deleted"
    assert get(doc["_id"], rev=result["rev"])["_deleted"] is True
    after = info()
    assert (after["doc_count"], after["doc_del_count"]) == (
        before["doc_count"] - 1, before["doc_del_count"] + 1)
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(persons)).scalar() == 0


def test_recreating_a_deleted_document_extends_its_tombstone(world):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    gone = save_docs([{"_id": doc["_id"], "_rev": rev, "_deleted": True}], None)[0]["rev"]
    [again] = save_docs([doc], None)
    assert again["ok"] and again["rev"].startswith("3-")
    assert get(doc["_id"], revs=True)["_revisions"]["ids"][1] == gone.split("-")[1]


def test_refused_document_does_not_stop_the_rest_of_the_batch(world):
    good, bad, foreign = f.person(), f.person(nik="123"), f.person(desa="9999999999")
    results = save_docs([good, bad, foreign], None)
    assert results[0]["ok"]
    assert results[1]["error"] == "forbidden" and "nik" in results[1]["reason"]
    assert results[2]["error"] == "forbidden" and "9999999999" in results[2]["reason"]
    with read_transaction() as conn:
        ids = set(conn.execute(sa.select(documents.c.id)).scalars())
    assert good["_id"] in ids and bad["_id"] not in ids and foreign["_id"] not in ids


def test_crash_mid_batch_leaves_nothing_stored(world, monkeypatch):
    before = info()

    def explode(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("backend.projections.project", explode)
    with pytest.raises(RuntimeError):
        save_docs([f.person(), f.person()], None)
    assert info() == before


def test_changes_feed_lists_each_document_once_at_its_latest_seq(world):
    a, b = f.person(), f.person(desa=f.DESA_B)
    rev = save_docs([a, b], None)[0]["rev"]
    save_docs([{**a, "_rev": rev, "name": "Siti Baru"}], None)
    with read_transaction() as conn:
        since = reads.info(conn, "")["update_seq"] - 3
        results, last = reads.changes(conn, since, 100, None, all_leaves=False)
        scoped, scoped_last = reads.changes(conn, since, 100, [f.DESA_B], all_leaves=False)
    assert [r["id"] for r in results] == [b["_id"], a["_id"]]
    assert [r["id"] for r in scoped] == [b["_id"]]
    assert last == scoped_last == info()["update_seq"]  # examined up to the end


def test_moving_a_document_to_another_desa_records_a_scope_exit(world):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    save_docs([{**doc, "_rev": rev, "desa": f.DESA_B}], None)
    with read_transaction() as conn:
        exits = reads.scope_exits_since(conn, 0, [f.DESA_A], 10)
        assert reads.scope_exits_since(conn, 0, [f.DESA_B], 10) == []
    assert [(e["id"], e["from"]) for e in exits] == [(doc["_id"], f.DESA_A)]


def test_revs_limit_stems_old_history(app, world):
    app.config["REVS_LIMIT"] = 3
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    for n in range(5):
        rev = save_docs([{**doc, "_rev": rev, "name": f"Siti {n}"}], None)[0]["rev"]
    revisions_field = get(doc["_id"], revs=True)["_revisions"]
    assert revisions_field["start"] == 6 and len(revisions_field["ids"]) == 3


def test_inline_attachment_is_stored_once_and_served_by_digest(world):
    data = b"%PDF-1.4 rujukan"
    doc = {**f.person(), "_attachments": {"rujukan.pdf": {
        "content_type": "application/pdf", "data": base64.b64encode(data).decode()}}}
    rev = save_docs([doc], None)[0]["rev"]
    stub = get(doc["_id"])["_attachments"]["rujukan.pdf"]
    assert stub["stub"] and stub["length"] == len(data) and stub["revpos"] == 1
    # a later revision keeps the attachment as a stub
    save_docs([{**doc, "_rev": rev, "name": "Siti", "_attachments": {"rujukan.pdf": stub}}], None)
    with read_transaction() as conn:
        assert reads.attachment_data(conn, doc["_id"], stub["digest"]) == data
    inline = get(doc["_id"], attachments=True)["_attachments"]["rujukan.pdf"]
    assert base64.b64decode(inline["data"]) == data


def test_oversized_or_unknown_attachment_is_refused(app, world):
    app.config["MAX_ATTACHMENT_BYTES"] = 10
    big = {**f.person(), "_attachments": {"foto.jpg": {
        "content_type": "image/jpeg", "data": base64.b64encode(b"x" * 11).decode()}}}
    stub = {**f.person(), "_attachments": {"foto.jpg": {"stub": True, "digest": "md5-nothere"}}}
    results = save_docs([big, stub], None)
    assert results[0]["error"] == "forbidden" and "limit" in results[0]["reason"]
    assert results[1]["error"] == "missing_stub"


def test_write_inside_callers_transaction_rolls_back_with_it(world):
    before = info()
    with pytest.raises(RuntimeError), write_transaction() as conn:
        write_docs(conn, [f.person()], None)
        raise RuntimeError("caller failed after writing")
    assert info() == before


def test_nothing_is_archived_by_ordinary_writes(world):
    doc = f.person()
    rev = save_docs([doc], None)[0]["rev"]
    save_docs([{**doc, "_rev": rev, "name": "X"}], None)
    with read_transaction() as conn:
        count = sa.select(sa.func.count()).select_from(archived_revisions)
        assert conn.execute(count).scalar() == 0


def test_every_leaf_body_is_stored_once_after_a_random_history(world):
    """The winner's body on its documents row, each other leaf's in losing_leaves, nothing else:
    whatever mix of edits, replicated branches, deletions and desa moves came before."""
    history = RandomHistory(random.Random(20261123))
    for _ in range(200):
        history.step()
    with read_transaction() as conn:
        docs = conn.execute(sa.select(documents.c.id, documents.c.tree, documents.c.winner,
                                      documents.c.body)).all()
        losing = conn.execute(sa.select(losing_leaves.c.doc_id, losing_leaves.c.rev,
                                        losing_leaves.c.deleted)).all()
    expected_losing = set()
    for doc in docs:
        ranked = revtree.leaves(json.loads(doc.tree))
        assert ranked[0][0] == doc.winner
        expected_losing |= {(doc.id, rev, deleted) for rev, deleted in ranked[1:]}
    assert {tuple(r) for r in losing} == expected_losing
    assert any(len(revtree.leaves(json.loads(d.tree))) > 1 for d in docs)  # conflicts occurred
    # and each body is the one written as that revision
    written = [d for d in docs if (d.id, d.winner) in history.written]
    assert len(written) > 100 and all(
        json.loads(d.body).get("created_by") == history.written[(d.id, d.winner)]
        for d in written)
    with read_transaction() as conn:
        for doc_id, rev, _ in expected_losing:
            body = reads.get_doc(conn, doc_id, rev, reads.ReadOptions())
            assert body.get("created_by") == history.written[(doc_id, rev)], (doc_id, rev)
