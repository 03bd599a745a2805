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
    """Add a leaf-first path; returns (new tree, whether the leaf is new)."""
    if path[0] in tree:
        return tree, False
    merged = dict(tree)
    for index, rev in enumerate(path):
        parent = path[index + 1] if index + 1 < len(path) else None
        known = merged.get(rev)
        if known is None:
            merged[rev] = [parent, deleted if index == 0 else False]
        elif known[0] is None and parent is not None:
            merged[rev] = [parent, known[1]]  # a stemmed root regains its parent
        else:
            break  # the rest of the path is already known
    return merged, True


def leaves(tree: Tree) -> list[tuple[str, bool]]:
    """Leaf revisions with their deleted flag, in winner order (best first)."""
    parents = {entry[0] for entry in tree.values() if entry[0] is not None}
    found = [(rev, bool(entry[1])) for rev, entry in tree.items() if rev not in parents]
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
    """Keep only revisions within `limit` generations of some leaf; return the dropped ones."""
    keep: set[str] = set()
    for leaf, _ in leaves(tree):
        keep.update(ancestry(tree, leaf)[:limit])
    if len(keep) == len(tree):
        return tree, []
    stemmed = {rev: [entry[0] if entry[0] in keep else None, entry[1]]
               for rev, entry in tree.items() if rev in keep}
    return stemmed, [rev for rev in tree if rev not in keep]


def missing_revs(tree: Tree, revs: Iterable[str]) -> tuple[list[str], list[str]]:
    """revs_diff for one document: (missing, possible ancestors among our leaves)."""
    missing = sorted({rev for rev in revs if rev not in tree})
    if not missing:
        return [], []
    lowest_missing = min(parse_rev(rev)[0] for rev in missing)
    ancestors = [rev for rev, _ in leaves(tree) if parse_rev(rev)[0] < lowest_missing]
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
