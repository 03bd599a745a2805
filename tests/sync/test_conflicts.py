"""The conflict resolver: deterministic merges (pure), applied after replicated batches."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import read_transaction
from backend.sync.conflicts import Leaf, merge_fields, merge_task
from backend.sync.tables import archived_revisions
from tests import factories as f

T0, T1, T2 = "2026-01-05T08:00:00+07:00", "2026-02-01T09:00:00+07:00", "2026-02-01T03:00:00Z"


def edited(doc: dict, ts: str, **changes) -> dict:
    stamps = {**doc.get("field_ts", {}), **dict.fromkeys(changes, ts)}
    return {**doc, **changes, "field_ts": stamps, "updated_at": ts, "updated_by": ts}


def test_person_merge_keeps_the_latest_edit_of_each_field():
    base = f.person(phone="0811111111")
    left = edited(base, T1, name="Siti Aminah Putri")
    right = edited(base, T2, phone="0822222222")   # T2 (03:00Z) is after T1 (02:00Z)
    merged = merge_fields([Leaf("2-b", left), Leaf("2-a", right)])
    assert merged["name"] == "Siti Aminah Putri" and merged["phone"] == "0822222222"
    assert merged["field_ts"] == {"name": T1, "phone": T2}
    assert merged["updated_at"] == T2


def test_equal_timestamps_go_to_the_couchdb_winner():
    base = f.person()
    winner, loser = edited(base, T1, name="Menang"), edited(base, T1, name="Kalah")
    assert merge_fields([Leaf("2-b", winner), Leaf("2-a", loser)])["name"] == "Menang"


def test_a_newer_removal_of_a_field_is_kept():
    base = edited(f.person(), T0, nik="3204190101010001")
    removed = {k: v for k, v in edited(base, T1, nik=None).items() if k != "nik"}
    kept = edited(base, T0, name="Siti")
    merged = merge_fields([Leaf("2-b", kept), Leaf("2-a", removed)])
    assert "nik" not in merged and merged["field_ts"]["nik"] == T1


def test_task_status_never_goes_back_down_the_lattice():
    task = f.task(f.person())
    done = edited(task, T0, status="done", outcome="Sudah imunisasi")
    reopened = edited(task, T2, status="in_progress", due_date="2026-03-01")
    merged = merge_task([Leaf("2-a", reopened), Leaf("2-b", done)])
    assert merged["status"] == "done" and merged["outcome"] == "Sudah imunisasi"
    assert merged["due_date"] == "2026-03-01"  # other fields still follow field_ts


def test_cancelled_and_done_rank_alike_and_the_later_wins():
    task = f.task(f.person())
    done, cancelled = edited(task, T0, status="done"), edited(task, T1, status="cancelled")
    assert merge_task([Leaf("2-b", done), Leaf("2-a", cancelled)])["status"] == "cancelled"


def _branches(doc: dict, left: dict, right: dict) -> list[dict]:
    return [{**doc, "_rev": "1-aaa"},
            {**left, "_rev": "2-bbb", "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}},
            {**right, "_rev": "2-ccc", "_revisions": {"start": 2, "ids": ["ccc", "aaa"]}}]


def test_replicated_conflict_is_merged_and_the_loser_archived(couch):
    doc = f.person()
    left, right = edited(doc, T1, name="Siti Putri"), edited(doc, T2, phone="0822222222")
    client = couch("pustu_a")
    assert client.bulk(_branches(doc, left, right), new_edits=False).json == []
    current = client.get(f"/{doc['_id']}?conflicts=true").json
    assert "_conflicts" not in current and current["_rev"].startswith("3-")
    assert (current["name"], current["phone"]) == ("Siti Putri", "0822222222")
    leaves = client.get(f"/{doc['_id']}?open_revs=all").json
    assert sorted(d["ok"].get("_deleted", False) for d in leaves) == [False, True]
    with read_transaction() as conn:
        archived = conn.execute(sa.select(archived_revisions)).all()
    assert [(r.doc_id, r.rev) for r in archived] == [(doc["_id"], "2-bbb")]


def test_the_same_conflict_merges_to_the_same_revision_anywhere(couch):
    # Revisions hash their content and parent, not the id: two documents with identical
    # histories stand in for one document on two servers.
    first = f.person()
    second = {**first, "_id": f.person()["_id"]}
    for doc in (first, second):
        batch = _branches(doc, edited(doc, T1, name="A"), edited(doc, T2, phone="0812345678"))
        couch("pustu_a").bulk(batch, new_edits=False)
    revs = {couch("pustu_a").get(f"/{doc['_id']}").json["_rev"] for doc in (first, second)}
    assert len(revs) == 1


def test_encounter_conflicts_stay_open_and_are_listed_for_review(couch):
    person = f.person()
    enc = f.encounter(person)
    couch("pustu_a").bulk([person], new_edits=True)
    couch("pustu_a").bulk(_branches(enc, {**enc, "notes": "kiri"}, {**enc, "notes": "kanan"}),
                          new_edits=False)
    listing = couch("kapus").get("/_conflicts").json
    assert [(c["id"], c["conflicts"]) for c in listing["open"]] == [(enc["_id"], ["2-bbb"])]
    assert couch("pustu_a").get("/_conflicts").status_code == 403


def test_admin_lists_archived_losers(couch):
    doc = f.person()
    couch("pustu_a").bulk(_branches(doc, edited(doc, T1, name="A"), edited(doc, T2, name="B")),
                          new_edits=False)
    [archived] = couch("admin").get("/_conflicts").json["archived"]
    assert archived["id"] == doc["_id"] and archived["doc"]["name"] == "A"
    assert archived["reason"] == "conflict_merged" and archived["desa"] == f.DESA_A


def test_cli_resolves_conflicts_left_open(app, couch, runner):
    app.config["RESOLVE_CONFLICTS_ON_WRITE"] = False
    doc = f.person()
    couch("pustu_a").bulk(_branches(doc, edited(doc, T1, name="A"), edited(doc, T2, name="B")),
                          new_edits=False)
    assert couch("admin").get("/_conflicts").json["open"]
    result = runner.invoke(args=["resolve-conflicts"])
    assert "Merged 1" in result.output
    assert couch("admin").get("/_conflicts").json["open"] == []
