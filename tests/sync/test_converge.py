"""Refused replicated edits converge: revision trees (pure) and the store, on both databases."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import sqlalchemy as sa

from backend.auth.users import get_user
from backend.db import read_transaction
from backend.projections.tables import persons, tasks
from backend.sync import converge, reads, revtree
from backend.sync.tables import archived_revisions, documents, scope_exits
from backend.writes import save_docs
from tests import factories as f

BODIES = {"1-a": {"status": "open"}, "2-w": {"status": "in_progress"}}


def _tree(*edges: tuple[str, str | None]) -> revtree.Tree:
    return {rev: [parent, False] for rev, parent in edges}


def test_a_refused_edit_of_the_winner_is_closed_by_the_winners_content_on_top():
    tree = _tree(("1-a", None))
    closing = converge.close(tree, ["3-r", "2-r", "1-a"], False, BODIES.__getitem__)
    assert closing.restores == "1-a" and closing.body == {"status": "open"}
    assert closing.tree[closing.rev] == ["3-r", False] and closing.rev.startswith("4-")
    assert revtree.winner(closing.tree) == (closing.rev, False)
    assert revtree.leaves(closing.tree) == [(closing.rev, False)]  # no conflict left behind
    again = converge.close(tree, ["3-r", "2-r", "1-a"], False, BODIES.__getitem__)
    assert again.rev == closing.rev  # deterministic: every server computes the same revision


def test_a_refused_branch_beside_a_newer_winner_gets_a_tombstone():
    tree = _tree(("1-a", None), ("2-w", "1-a"))
    closing = converge.close(tree, ["2-r", "1-a"], False, BODIES.__getitem__)
    assert closing.restores is None and closing.deleted and closing.body == {}
    assert closing.tree[closing.rev] == ["2-r", True]
    assert revtree.winner(closing.tree) == ("2-w", False)
    assert revtree.conflicts(closing.tree) == []


def test_a_refused_deletion_of_the_winner_brings_the_document_back():
    tree = _tree(("1-a", None))
    closing = converge.close(tree, ["2-d", "1-a"], True, BODIES.__getitem__)
    assert not closing.deleted and closing.body == {"status": "open"}
    assert revtree.winner(closing.tree) == (closing.rev, False)


def test_a_refused_leaf_the_tree_already_holds_needs_nothing():
    tree = _tree(("1-a", None), ("2-r", "1-a"), ("3-c", "2-r"))
    assert converge.close(tree, ["2-r", "1-a"], False, BODIES.__getitem__) is None


def test_only_replicated_refusals_about_the_writer_converge():
    assert converge.applies("role", new_edits=False)
    assert converge.applies("area", new_edits=False)
    assert not converge.applies("role", new_edits=True)  # an interactive write stored nothing
    for code in ("invalid", "reference_missing", "unknown_desa", "schema_version"):
        assert not converge.applies(code, new_edits=False)


# --- the store ------------------------------------------------------------------------------

def user(username: str):
    with read_transaction() as conn:
        return get_user(conn, username=username)[0]


def replicated_edit(doc: dict, parent: str, deleted: bool = False, **changes) -> dict:
    """What PouchDB pushes after one offline edit of `doc` at revision `parent`."""
    pos, parent_id = revtree.parse_rev(parent)
    rev_id = uuid.uuid4().hex
    edit = {**doc, **changes, "_rev": f"{pos + 1}-{rev_id}",
            "_revisions": {"start": pos + 1, "ids": [rev_id, parent_id]}}
    return {**edit, "_deleted": True} if deleted else edit


def stored(doc_id: str) -> SimpleNamespace:
    """The document's row, its tree decoded."""
    with read_transaction() as conn:
        row = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).one()
    return SimpleNamespace(**{**row._asdict(), "tree": json.loads(row.tree)})


def archived() -> list[sa.Row]:
    with read_transaction() as conn:
        return conn.execute(sa.select(archived_revisions).order_by(archived_revisions.c.id)).all()


def body(doc_id: str) -> dict:
    return json.loads(stored(doc_id).body)


def test_a_kaders_refused_task_edit_converges_to_the_servers_content(world):
    person = f.person()
    task = f.task(person)
    rev1 = save_docs([person, task], None)[1]["rev"]
    edit = replicated_edit(task, rev1, status="done", outcome="sudah")
    [result] = save_docs([edit], user("kader_a"), new_edits=False)
    assert (result["error"], result["code"]) == ("forbidden", "role")
    row = stored(task["_id"])
    assert row.tree[edit["_rev"]][0] == rev1 and row.tree[row.winner][0] == edit["_rev"]
    assert revtree.leaves(row.tree) == [(row.winner, False)]
    assert body(task["_id"])["status"] == "open" and "outcome" not in body(task["_id"])
    with read_transaction() as conn:
        assert conn.execute(sa.select(tasks.c.status)).scalar_one() == "open"
    [kept] = archived()
    assert (kept.doc_id, kept.rev, kept.reason, kept.archived_by) == (
        task["_id"], edit["_rev"], "refused_role", "kader_a")
    assert json.loads(kept.body)["status"] == "done" and "may not write" in kept.detail


def test_a_retried_refused_push_changes_nothing(world):
    person = f.person()
    task = f.task(person)
    rev1 = save_docs([person, task], None)[1]["rev"]
    edit = replicated_edit(task, rev1, status="done")
    save_docs([edit], user("kader_a"), new_edits=False)
    before = stored(task["_id"])
    [again] = save_docs([edit], user("kader_a"), new_edits=False)
    assert again["code"] == "role"
    after = stored(task["_id"])
    assert (after.seq, after.winner, after.tree) == (before.seq, before.winner, before.tree)
    assert len(archived()) == 1


def test_a_refused_edit_beside_a_newer_server_revision_is_tombstoned(world):
    person = f.person()
    task = f.task(person)
    rev1 = save_docs([person, task], None)[1]["rev"]
    rev2 = save_docs([{**task, "_rev": rev1, "status": "in_progress"}], user("pustu_a"))[0]["rev"]
    edit = replicated_edit(task, rev1, status="cancelled")
    save_docs([edit], user("kader_a"), new_edits=False)
    row = stored(task["_id"])
    assert row.winner == rev2 and not row.has_conflicts
    closing = [rev for rev, entry in row.tree.items() if entry[0] == edit["_rev"]]
    assert [row.tree[rev][1] for rev in closing] == [True]
    assert body(task["_id"])["status"] == "in_progress"
    assert [r.reason for r in archived()] == ["refused_role"]


def test_a_refused_move_out_of_the_area_leaves_the_person_in_place(world):
    person = f.person()
    rev1 = save_docs([person], None)[0]["rev"]
    edit = replicated_edit(person, rev1, desa=f.DESA_B)
    [result] = save_docs([edit], user("kader_a"), new_edits=False)
    assert result["code"] == "area"
    row = stored(person["_id"])
    assert row.scope == f.DESA_A and body(person["_id"])["desa"] == f.DESA_A
    with read_transaction() as conn:
        assert conn.execute(sa.select(persons.c.desa)).scalar_one() == f.DESA_A
        assert conn.execute(sa.select(scope_exits)).all() == []
    assert json.loads(archived()[0].body)["desa"] == f.DESA_B


def test_a_refused_deletion_keeps_the_task_alive(world):
    person = f.person()
    task = f.task(person)
    rev1 = save_docs([person, task], None)[1]["rev"]
    save_docs([replicated_edit(task, rev1, deleted=True)], user("kader_a"), new_edits=False)
    row = stored(task["_id"])
    assert not row.deleted and body(task["_id"])["status"] == "open"
    with read_transaction() as conn:
        assert reads.info(conn, "siklus")["doc_count"] == 2 + 3  # the world's places


def test_refusals_that_do_not_converge_store_nothing(world):
    person, theirs = f.person(), f.person(desa=f.DESA_B)
    revs = [r["rev"] for r in save_docs([person, theirs], None)]
    before = {d: stored(d).tree for d in (person["_id"], theirs["_id"])}
    new_task = {**f.task(person), "_rev": "1-abc"}
    invalid = replicated_edit(person, revs[0], birth_date="2999-01-01")
    results = save_docs([new_task, invalid], user("kader_a"), new_edits=False)
    assert [r["code"] for r in results] == ["role", "invalid"]
    # A desa B record is not pushed back at a desa A writer who cannot read it.
    [foreign] = save_docs([replicated_edit(theirs, revs[1], name="X")], user("pustu_a"),
                          new_edits=False)
    assert foreign["code"] == "area"
    assert {d: stored(d).tree for d in before} == before
    assert archived() == []
    with read_transaction() as conn:
        assert reads.load_rows(conn, [new_task["_id"]]) == {}


def test_a_refused_branch_on_an_encounter_keeps_its_visit_date_for_the_device_window(world):
    person = f.person()
    visit = f.encounter(person, date="2020-03-04")
    rev1 = save_docs([person, visit], None)[1]["rev"]
    save_docs([{**visit, "_rev": rev1, "notes": "dikoreksi"}], user("pustu_a"))
    save_docs([replicated_edit(visit, rev1, desa=f.DESA_B)], user("kader_a"), new_edits=False)
    row = stored(visit["_id"])
    assert len(revtree.ancestry(row.tree, row.winner)) == 2  # the winner stayed
    assert str(row.doc_date) == "2020-03-04"
