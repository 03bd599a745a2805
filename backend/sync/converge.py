"""Refused replicated edits converge: the device gets the server's revision back, nothing is lost.

PouchDB keeps a revision the server refused as its local winner for ever: the server never
stores it, so nothing the device pulls ever descends from it. When a replicated revision
(`new_edits=false`) of a document the server already holds is refused *for who wrote it*
(the codes in CONVERGING_CODES), the store records the refused path in the document's tree,
without its body, and closes it in the same transaction with one more revision on top of the
refused leaf:

* the refused path extended a leaf the server had (usually the winner): the new revision
  carries that leaf's body (and deleted flag) again, so its content stands and the device,
  pulling a child of its own refused leaf, converges on it;
* otherwise (the server's winner moved on meanwhile): the new revision is a tombstone, so
  the refused leaf is no longer live anywhere and the device's winner becomes the server's.

Revision ids hash the refused leaf and the body (`revtree.new_rev`), so a retried push (the
refused leaf is then already in the tree) is a no-op and every server computes the same
revision. The body the device sent is archived in `archived_revisions` with who sent it and
why it was refused; the device is still answered `forbidden` with the code, so PouchDB emits
`denied` and the PWA lists the refusal.

Not converged, on purpose: new documents (there is nothing on the server to converge to: the
device lists them to fix or discard), content refusals (`invalid`, `schema_version`,
`attachment`, `unknown_desa`: the user can correct them, and a too-strict server rule must
not silently undo field work), `reference_missing` (transient: the reference may arrive in a
later batch, and the PWA pushes such documents once more), and documents the writer cannot
read (the device could not pull the result, and a stranger must not grow their trees).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from backend import clock
from backend.jsontext import dumps
from backend.sync import revtree
from backend.sync.tables import archived_revisions

# Refusals about the writer, not the content: no edit of this user can ever be accepted.
CONVERGING_CODES = frozenset({"role", "area", "reference_scope"})
ARCHIVE_PREFIX = "refused_"


class RefusalLike(Protocol):
    code: str
    reason: str


@dataclass(frozen=True)
class Closing:
    """The tree with the refused path and the revision that closes it."""

    tree: revtree.Tree
    rev: str
    body: dict
    deleted: bool
    restores: str | None  # the leaf whose content `rev` carries again; None: a tombstone


def applies(code: str, new_edits: bool) -> bool:
    """Whether a refusal of an existing document is closed on the server."""
    return not new_edits and code in CONVERGING_CODES


def close(tree: revtree.Tree, path: list[str], deleted: bool,
          body_of: Callable[[str], dict]) -> Closing | None:
    """Merge the refused leaf-first `path` and close it; None when the refused leaf is known
    already (a retried push). `body_of(rev)` reads a stored leaf's body."""
    refused = path[0]
    if refused in tree:
        return None
    merged, _ = revtree.merge_path(tree, path, deleted)
    still_leaves = {rev for rev, _ in revtree.leaves(merged)}
    # A path is one line of history, so it can extend at most one of the old leaves.
    extended = next((rev for rev, _ in revtree.leaves(tree) if rev not in still_leaves), None)
    if extended is None:
        body, gone = {}, True
    else:
        body, gone = body_of(extended), bool(tree[extended][1])
    rev = revtree.new_rev(refused, body, gone)
    closed, _ = revtree.merge_path(merged, [rev, refused], gone)
    return Closing(closed, rev, body, gone, extended)


def archive(conn: sa.Connection, doc_id: str, rev: str, body: dict, refusal: RefusalLike,
            writer: str | None) -> None:
    """Keep the refused body, who sent it and why, for admins to review."""
    # Parameters, not .values(): one cached statement (building it per row cost ~3 ms).
    conn.execute(_ARCHIVE, {
        "doc_id": doc_id, "rev": rev, "body": dumps(body), "reason": ARCHIVE_PREFIX + refusal.code,
        "archived_by": writer, "detail": refusal.reason, "archived_at": clock.utc_now()})


_ARCHIVE = archived_revisions.insert()
