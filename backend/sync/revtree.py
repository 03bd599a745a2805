"""CouchDB revision trees as pure functions: merge, winner, conflicts, stemming, revs_diff.

A tree is a dict `{rev: [parent_rev_or_None, deleted]}` holding every revision we know of.
Keying by revision string makes merging overlapping or stemmed paths a dict union, which is
what CouchDB's `couch_key_tree:merge` and PouchDB's `pouchdb-merge` achieve with nested paths.
The winning-revision rule is CouchDB's (and pouchdb-merge's `winningRev`): a non-deleted leaf
beats a deleted one, then the higher generation, then the lexically higher hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

Tree = dict[str, list]  # rev -> [parent rev or None, deleted flag]

_REV = re.compile(r"^([1-9]\d{0,9})-([0-9a-zA-Z]{1,64})$")


class InvalidRevision(ValueError):
    """A revision string or `_revisions` object that does not parse."""


def parse_rev(rev: object) -> tuple[int, str]:
    """'3-abc' -> (3, 'abc'); anything else raises InvalidRevision."""
    match = _REV.match(rev) if isinstance(rev, str) else None
    if not match:
        raise InvalidRevision(f"Invalid rev format: {rev!r}")
    return int(match.group(1)), match.group(2)


def path_from_revisions(revisions: object, rev: str) -> list[str]:
    """Expand `_revisions` ({start, ids}, leaf first) into rev strings, checked against `_rev`."""
    if not isinstance(revisions, dict):
        raise InvalidRevision("_revisions must be an object with start and ids")
    start, ids = revisions.get("start"), revisions.get("ids")
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        raise InvalidRevision("_revisions.start must be a positive integer")
    if not isinstance(ids, list) or not ids or len(ids) > start:
        raise InvalidRevision("_revisions.ids must be a non-empty list no longer than start")
    path = [f"{start - i}-{rev_id}" for i, rev_id in enumerate(ids)]
    for item in path:
        parse_rev(item)
    if path[0] != rev:
        raise InvalidRevision(f"_revisions does not match _rev {rev!r}")
    return path


def merge_path(tree: Tree, path: list[str], deleted: bool) -> tuple[Tree, bool]:
    """Add a leaf-first path; returns (new tree, whether the leaf is new).

    The whole path is walked even when its leaf is known: it may carry ancestors we had
    stemmed away or never received, and a root we hold may learn its parent from it.
    Only leaves keep a deleted flag (winner and conflicts look at leaves alone), which makes
    the tree the same whatever order the paths arrive in.
    """
    is_new = path[0] not in tree
    merged = dict(tree)
    for index, rev in enumerate(path):
        parent = path[index + 1] if index + 1 < len(path) else None
        known = merged.get(rev)
        leaf_deleted = deleted if index == 0 and known is None else False
        if known is None:
            merged[rev] = [parent, leaf_deleted]
        elif index > 0 or (known[0] is None and parent is not None):
            merged[rev] = [known[0] or parent, known[1] and index == 0]
    return merged, is_new


def leaves(tree: Tree) -> list[tuple[str, bool]]:
    """Leaf revisions with their deleted flag, in winner order (best first)."""
    parents = {entry[0] for entry in tree.values() if entry[0] is not None}
    found = [(rev, bool(entry[1])) for rev, entry in tree.items() if rev not in parents]
    if len(found) > 1:  # most documents have one leaf: skip parsing revisions to rank it
        found.sort(key=_leaf_rank, reverse=True)
    return found


def _leaf_rank(leaf: tuple[str, bool]) -> tuple[bool, int, str]:
    pos, rev_id = parse_rev(leaf[0])
    return (not leaf[1], pos, rev_id)


def winner(tree: Tree) -> tuple[str, bool]:
    """The winning leaf and whether it is deleted."""
    return leaves(tree)[0]


def conflicts(tree: Tree) -> list[str]:
    """Non-deleted leaves other than the winner, best first."""
    win, _ = winner(tree)
    return [rev for rev, deleted in leaves(tree) if rev != win and not deleted]


def deleted_conflicts(tree: Tree) -> list[str]:
    win, _ = winner(tree)
    return [rev for rev, deleted in leaves(tree) if rev != win and deleted]


def ancestry(tree: Tree, rev: str) -> list[str]:
    """`rev` and its known ancestors, leaf first (shorter when stemmed)."""
    chain = []
    current: str | None = rev
    while current is not None and current in tree:
        chain.append(current)
        current = tree[current][0]
    return chain


def revisions_field(tree: Tree, rev: str, known: Iterable[str] = ()) -> dict:
    """CouchDB `_revisions` for `rev`; stops after the first ancestor the client already has."""
    known = set(known)
    ids = []
    for item in ancestry(tree, rev):
        ids.append(parse_rev(item)[1])
        if item in known and item != rev:
            break
    return {"start": parse_rev(rev)[0], "ids": ids}


def stem(tree: Tree, limit: int) -> tuple[Tree, list[str]]:
    """Cut every leaf's path to its `limit` newest revisions (CouchDB `revs_limit`), as
    couch_key_tree:stem does: each path is truncated on its own and the pieces are merged,
    so an ancestor kept for one leaf does not lengthen another leaf's history."""
    if len(tree) <= limit:
        return tree, []  # no path can be longer than the whole tree
    kept: dict[str, str | None] = {}
    for leaf, _ in leaves(tree):
        chain = ancestry(tree, leaf)[:limit]
        for index, rev in enumerate(chain):
            parent = chain[index + 1] if index + 1 < len(chain) else None
            if kept.get(rev) is None:
                kept[rev] = parent
    if len(kept) == len(tree) and all(kept[r] == tree[r][0] for r in tree):
        return tree, []
    stemmed = {rev: [parent, tree[rev][1]] for rev, parent in kept.items()}
    return stemmed, [rev for rev in tree if rev not in kept]


def missing_revs(tree: Tree, revs: Iterable[str]) -> tuple[list[str], list[str]]:
    """revs_diff for one document: (missing, possible ancestors among our leaves).

    As CouchDB's couch_db:find_missing: a leaf is a possible ancestor when it is older than
    *any* missing revision (the client may then send only the revisions after it)."""
    missing = sorted({rev for rev in revs if rev not in tree})
    if not missing:
        return [], []
    newest_missing = max(parse_rev(rev)[0] for rev in missing)
    ancestors = [rev for rev, _ in leaves(tree) if parse_rev(rev)[0] < newest_missing]
    return missing, ancestors


def new_rev(parent: str | None, body: dict, deleted: bool) -> str:
    """A deterministic child revision: the same edit of the same parent gives the same rev."""
    pos = parse_rev(parent)[0] + 1 if parent else 1
    content = {k: v for k, v in body.items() if not k.startswith("_")}
    digest = hashlib.md5(
        json.dumps([parent, deleted, content], sort_keys=True, separators=(",", ":")).encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"{pos}-{digest}"
