"""Revision-tree properties: order-independent merge, CouchDB's winner rule, stemming, revs_diff.

(The cross-check against PouchDB's own `pouchdb-merge` lives with the sync conformance tests.)
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.sync import revtree


@st.composite
def histories(draw):
    """A document's history as leaf-first paths, the way replication delivers them."""
    paths: list[list[str]] = []
    nodes: list[list[str]] = []  # each node as its own leaf-first path
    for step in range(draw(st.integers(1, 12))):
        parent = draw(st.sampled_from(nodes)) if nodes and draw(st.booleans()) else None
        pos = len(parent) + 1 if parent else 1
        rev = f"{pos}-{draw(st.sampled_from('abcdef'))}{step:02x}"
        path = [rev, *(parent or [])]
        nodes.append(path)
        paths.append(path)
    deleted = {p[0] for p in paths if draw(st.integers(0, 4)) == 0}
    return paths, deleted


def build(paths, deleted, order=None):
    tree: dict = {}
    for index in order or range(len(paths)):
        tree, _ = revtree.merge_path(tree, paths[index], paths[index][0] in deleted)
    return tree


@settings(max_examples=150, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_merge_result_does_not_depend_on_arrival_order(history, rnd):
    paths, deleted = history
    order = list(range(len(paths)))
    rnd.shuffle(order)
    assert build(paths, deleted) == build(paths, deleted, order)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_winner_follows_couchdb_rule(history):
    paths, deleted = history
    tree = build(paths, deleted)
    leaves = revtree.leaves(tree)
    live = [rev for rev, is_deleted in leaves if not is_deleted]
    win, win_deleted = revtree.winner(tree)
    candidates = live or [rev for rev, _ in leaves]
    expected = max(candidates, key=lambda r: (revtree.parse_rev(r)[0], revtree.parse_rev(r)[1]))
    assert win == expected
    assert win_deleted == (not live)
    assert set(revtree.conflicts(tree)) == set(live) - {win}


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(1, 4))
def test_stemming_keeps_every_leaf_and_limit_ancestors(history, limit):
    paths, deleted = history
    tree = build(paths, deleted)
    stemmed, dropped = revtree.stem(tree, limit)
    assert revtree.leaves(stemmed) == revtree.leaves(tree)
    assert set(dropped) == set(tree) - set(stemmed)
    for leaf, _ in revtree.leaves(stemmed):
        # At least `limit` generations survive; more only where a sibling's kept history
        # shares the ancestor (the stemmed paths are merged again, as CouchDB does).
        full, kept = revtree.ancestry(tree, leaf), revtree.ancestry(stemmed, leaf)
        assert kept == full[: len(kept)] and len(kept) >= min(limit, len(full))
    for rev in stemmed:
        assert any(rev in revtree.ancestry(tree, leaf)[:limit]
                   for leaf, _ in revtree.leaves(tree))


@settings(max_examples=100, deadline=None)
@given(histories())
def test_merging_a_known_path_again_changes_nothing(history):
    paths, deleted = history
    tree = build(paths, deleted)
    for path in paths:
        again, added = revtree.merge_path(tree, path, False)
        assert not added and again == tree


@settings(max_examples=100, deadline=None)
@given(histories())
def test_revs_diff_reports_exactly_the_unknown_revisions(history):
    paths, deleted = history
    tree = build(paths[: len(paths) // 2 + 1], deleted)
    asked = [p[0] for p in paths] + ["99-zz"]
    missing, _ = revtree.missing_revs(tree, asked)
    assert set(missing) == {rev for rev in asked if rev not in tree}


def test_stemmed_root_regains_its_parent_when_a_longer_path_arrives():
    tree, _ = revtree.merge_path({}, ["3-c", "2-b"], False)
    tree, added = revtree.merge_path(tree, ["3-c", "2-b", "1-a"], False)
    assert not added  # the leaf was known already: nothing new to store
    tree, added = revtree.merge_path(tree, ["4-d", "3-c", "2-b", "1-a"], False)
    assert added and revtree.ancestry(tree, "4-d") == ["4-d", "3-c", "2-b", "1-a"]


def test_revisions_field_lists_hashes_leaf_first():
    tree, _ = revtree.merge_path({}, ["3-c", "2-b", "1-a"], False)
    assert revtree.revisions_field(tree, "3-c") == {"start": 3, "ids": ["c", "b", "a"]}


def test_new_rev_is_deterministic_and_extends_the_parent():
    body = {"name": "Siti", "_id": "person:1"}
    first = revtree.new_rev("1-abc", body, False)
    assert first == revtree.new_rev("1-abc", {"name": "Siti"}, False)
    assert first.startswith("2-") and first != revtree.new_rev("1-abc", body, True)


@pytest.mark.parametrize("bad", ["", "abc", "0-abc", "-1-abc", "1-", "1-ab/c", 3, None,
                                 "1-" + "a" * 65])
def test_parse_rev_rejects_malformed_revisions(bad):
    with pytest.raises(revtree.InvalidRevision):
        revtree.parse_rev(bad)


@pytest.mark.parametrize("revisions", [
    {"start": 2, "ids": ["b", "a"]},         # does not match _rev 3-c
    {"start": 3, "ids": []},
    {"start": 1, "ids": ["a", "b"]},         # longer than start allows
    {"start": "3", "ids": ["c"]},
    ["c", "b"],
])
def test_path_from_revisions_rejects_inconsistent_history(revisions):
    with pytest.raises(revtree.InvalidRevision):
        revtree.path_from_revisions(revisions, "3-c")
