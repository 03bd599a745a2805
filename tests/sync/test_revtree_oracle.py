"""backend/sync/revtree.py against PouchDB's own `pouchdb-merge`: random histories, same answers.

Hypothesis generates histories — branching edits, paths that arrive with stemmed
`_revisions`, deletions, small `revs_limit` values. One Node process, started once for the
module, replays each case through pouchdb-merge (a JSON line in, a JSON line out), so
hundreds of cases and Hypothesis's shrinking cost one process start.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.sync import revtree
from tests.sync.conftest import NODE_DIR, ROOT


@st.composite
def histories(draw) -> dict:
    """One document's history as the leaf-first paths replication would deliver."""
    nodes: list[list[str]] = []   # every revision as its full leaf-first path
    paths: list[list[str]] = []
    for step in range(draw(st.integers(1, 9))):
        parent = draw(st.sampled_from(nodes)) if nodes and draw(st.booleans()) else []
        full = list(parent)
        for gen in range(draw(st.integers(1, 3))):
            # Short hashes from a small alphabet make winner ties on the hash common.
            full.insert(0, f"{len(full) + 1}-{draw(st.sampled_from('abc'))}{step}{gen}")
            nodes.append(list(full))
        # The sender may have stemmed its own history: only the newest revisions arrive.
        paths.append(full[:draw(st.integers(1, len(full)))])
    deleted = sorted({p[0] for p in paths if draw(st.integers(0, 3)) == 0})
    known = [n[0] for n in nodes]
    ask = [*sorted(set(draw(st.lists(st.sampled_from(known), max_size=4)))), "9-zzz"]
    return {"paths": paths, "deleted": deleted, "ask": ask,
            "revs_limit": draw(st.sampled_from([1, 2, 3, 5, 1000]))}


def replay(case: dict) -> dict:
    tree: dict = {}
    for path in case["paths"]:
        tree, _ = revtree.merge_path(tree, path, path[0] in case["deleted"])
        tree, _ = revtree.stem(tree, case["revs_limit"])
    return tree


@pytest.fixture(scope="module")
def pouchdb_merge():
    proc = subprocess.Popen(["node", str(NODE_DIR / "revtree_oracle.mjs")], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(case: dict) -> dict:
        proc.stdin.write(json.dumps(case) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield ask
    proc.stdin.close()
    proc.wait(10)


@settings(max_examples=400, deadline=None)
@given(case=histories())
def test_revision_trees_match_pouchdb_merge(pouchdb_merge, case):
    pouch = pouchdb_merge(case)
    tree = replay(case)
    assert {rev: entry[0] for rev, entry in tree.items()} == pouch["parents"]
    # Sets, not lists: when a path joins one branch, pouchdb-merge (like couch_key_tree)
    # stops there, so a revision may sit in two of its branches; ours is keyed by rev.
    assert set(revtree.leaves(tree)) == set(map(tuple, pouch["leaves"]))
    assert revtree.winner(tree)[0] == pouch["winner"]
    assert set(revtree.conflicts(tree)) == set(pouch["conflicts"])
    assert revtree.missing_revs(tree, case["ask"])[0] == sorted(pouch["missing"])
