"""Server-side conflict resolution: deterministic merges of concurrent edits, nothing lost.

Two tablets editing one person offline produce two leaves of its revision tree. CouchDB
picks an arbitrary-but-deterministic winner and hides the other edit in `_conflicts`; here
the server merges the leaves instead and writes the result as a child of the winning leaf,
with tombstones on the losing leaves, through the ordinary write path (so devices converge
by replication). Every losing body is archived in `archived_revisions` first.

Merge rules (pure functions below):
* person, household — per field, the value whose `field_ts` entry is latest; a field
  without one counts as written at `created_at` (or, when absent, as never written).
  A stamped but absent field is a removal and merges like any edit. Ties go to the leaf
  CouchDB would pick as winner, so every server computes the same merge (and, revisions
  being content hashes, the same revision id).
* task — as above, except `status`, which climbs the lattice open < in_progress <
  done = cancelled: a task finished on one tablet stays finished.
Other types keep CouchDB's winner and stay listed as open conflicts for admins.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.documents.schemas import describe_errors, validate_document
from backend.documents.types import TYPES, Merge
from backend.jsontext import dumps
from backend.sync import notify, reads, revtree
from backend.sync.tables import archived_revisions, documents, sync_meta
from backend.writes import write_docs

log = logging.getLogger(__name__)

_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)
_FROM_WINNER = ("type", "created_at", "created_by", "_attachments")
_BOOKKEEPING = frozenset({"field_ts", "updated_at", "updated_by", "schema", *_FROM_WINNER})
TASK_STATUS_RANK = {"open": 0, "in_progress": 1, "done": 2, "cancelled": 2}
ARCHIVE_REASON = "conflict_merged"


@dataclass(frozen=True)
class Leaf:
    rev: str
    body: dict


def _time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        return _EPOCH
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _EPOCH
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _field_time(body: dict, name: str) -> dt.datetime:
    """When this leaf last set (or removed) the field. Unstamped: set at creation if present;
    absent and unstamped means the leaf never touched it, so it claims nothing."""
    stamp = (body.get("field_ts") or {}).get(name)
    if stamp is not None:
        return _time(stamp)
    return _time(body.get("created_at")) if name in body else _EPOCH


def _latest(leaves: Sequence[Leaf], name: str, among: Iterable[int] | None = None) -> int:
    """Index of the leaf holding the newest edit of `name`; ties go to the earlier leaf."""
    candidates = range(len(leaves)) if among is None else among
    return max(candidates, key=lambda i: (_field_time(leaves[i].body, name), -i))


def merge_fields(leaves: Sequence[Leaf]) -> dict:
    """Leaves come best first (CouchDB winner order); returns the merged body."""
    winner = leaves[0].body
    merged = {name: winner[name] for name in _FROM_WINNER if name in winner}
    merged["schema"] = max(leaf.body.get("schema", 1) for leaf in leaves)
    field_ts: dict[str, str] = {}
    names = sorted({name for leaf in leaves for name in leaf.body} - _BOOKKEEPING)
    for name in names:
        _take(merged, field_ts, leaves[_latest(leaves, name)].body, name)
    newest = max(range(len(leaves)), key=lambda i: (_time(leaves[i].body.get("updated_at")), -i))
    for name in ("updated_at", "updated_by"):
        if name in leaves[newest].body:
            merged[name] = leaves[newest].body[name]
    if field_ts:
        merged["field_ts"] = field_ts
    return merged


def _take(merged: dict, field_ts: dict, source: dict, name: str) -> None:
    """Copy one field (or its absence: a newer edit may have removed it) from `source`."""
    merged.pop(name, None)
    if name in source:
        merged[name] = source[name]
    stamp = (source.get("field_ts") or {}).get(name)
    if stamp is not None:
        field_ts[name] = stamp


def merge_task(leaves: Sequence[Leaf]) -> dict:
    merged = merge_fields(leaves)
    ranks = [TASK_STATUS_RANK.get(leaf.body.get("status"), 0) for leaf in leaves]
    top = [i for i, rank in enumerate(ranks) if rank == max(ranks)]
    field_ts = merged.setdefault("field_ts", {})
    _take(merged, field_ts, leaves[_latest(leaves, "status", top)].body, "status")
    if not field_ts:
        del merged["field_ts"]
    return merged


_RULES: dict[Merge, Callable[[Sequence[Leaf]], dict]] = {
    Merge.FIELD_TS: merge_fields, Merge.TASK_STATUS: merge_task}
# Each type's rule is said in documents/types.py; WINNER types are not merged here.
MERGERS = {name: _RULES[t.merge] for name, t in TYPES.items() if t.merge is not Merge.WINNER}


def plan(doc_id: str, leaves: Sequence[Leaf]) -> list[dict] | None:
    """The documents that resolve a conflict: the merge on the winning leaf, then one
    tombstone per losing leaf; None when the type is not merged or the merge is invalid."""
    merger = MERGERS.get(doc_id.split(":", 1)[0])
    if merger is None or len(leaves) < 2:
        return None
    merged = {**merger(leaves), "_id": doc_id, "_rev": leaves[0].rev}
    errors = validate_document(merged)
    if errors:
        log.warning("conflict on %s left open: merge is invalid (%s)", doc_id,
                    describe_errors(errors))
        return None
    return [merged] + [{"_id": doc_id, "_rev": leaf.rev, "_deleted": True} for leaf in leaves[1:]]


def _live_leaves(conn: sa.Connection, row: reads.DocRow) -> list[Leaf]:
    live = [rev for rev, deleted in revtree.leaves(row.tree) if not deleted]
    bodies = reads.load_bodies(conn, [(row.id, rev) for rev in live])
    return [Leaf(rev, bodies[(row.id, rev)]) for rev in live if (row.id, rev) in bodies]


def resolve(conn: sa.Connection, doc_id: str) -> bool:
    """Merge one document's conflict inside the caller's write transaction."""
    # Take the writers' lock before reading, so the leaves cannot change under the merge.
    conn.execute(sa.select(sync_meta.c.id).where(sync_meta.c.id == 1).with_for_update())
    row = reads.load_rows(conn, [doc_id]).get(doc_id)
    leaves = _live_leaves(conn, row) if row else []
    docs = plan(doc_id, leaves)
    if docs is None:
        return False
    now = dt.datetime.now(dt.UTC)
    conn.execute(archived_revisions.insert(), [
        {"doc_id": doc_id, "rev": leaf.rev, "reason": ARCHIVE_REASON, "archived_at": now,
         "body": dumps(leaf.body)}
        for leaf in leaves[1:]])
    failed = [r for r in write_docs(conn, docs, None) if "error" in r]
    if failed:
        raise RuntimeError(f"conflict merge of {doc_id} refused: {failed}")
    return True


def pending(conn: sa.Connection, doc_ids: Sequence[str] | None = None) -> list[str]:
    """Documents of a merged type with open conflicts (among `doc_ids`, or all)."""
    if doc_ids is None:
        return list(conn.execute(_PENDING.order_by(documents.c.seq)).scalars())
    found: list[str] = []
    for start in range(0, len(doc_ids), 500):
        rows = conn.execute(_AMONG, {"ids": list(doc_ids[start:start + 500])})
        found.extend(row.id for row in rows if row.has_conflicts and row.type in MERGERS)
    return found


_PENDING = sa.select(documents.c.id).where(documents.c.has_conflicts.is_(True),
                                           documents.c.type.in_(list(MERGERS)))
# Checked after every replicated batch, by primary key only (with the type and conflict
# conditions in SQL, SQLite preferred the type index and scanned every person), as one
# cached statement (an expanding parameter).
_AMONG = sa.select(documents.c.id, documents.c.type, documents.c.has_conflicts).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))


def resolve_pending(doc_ids: Sequence[str] | None = None) -> list[str]:
    """Resolve open conflicts, one transaction per document; returns the merged ids.
    A failing merge is logged and left open (listed by `_conflicts`), never half-written."""
    if doc_ids is not None:
        doc_ids = [d for d in doc_ids if d.split(":", 1)[0] in MERGERS]  # ids are <type>:<id>
        if not doc_ids:
            return []
    with read_transaction() as conn:
        candidates = pending(conn, doc_ids)
    merged = []
    for doc_id in candidates:
        try:
            with write_transaction() as conn:
                if resolve(conn, doc_id):
                    merged.append(doc_id)
        except RuntimeError:
            log.exception("conflict on %s left open", doc_id)
    if merged:
        notify.changed()
    return merged


def listing(conn: sa.Connection, scopes: Sequence[str] | None, limit: int) -> dict:
    """Open conflicts and archived losing revisions, newest first, for admins to review."""
    open_q = (sa.select(documents.c.id, documents.c.scope, documents.c.winner, documents.c.tree)
              .where(documents.c.has_conflicts.is_(True))
              .order_by(documents.c.seq.desc()).limit(limit))
    archived_q = (sa.select(archived_revisions, documents.c.scope)
                  .join(documents, documents.c.id == archived_revisions.c.doc_id)
                  .order_by(archived_revisions.c.id.desc()).limit(limit))
    if scopes is not None:
        open_q = open_q.where(documents.c.scope.in_(list(scopes)))
        archived_q = archived_q.where(documents.c.scope.in_(list(scopes)))
    return {
        "open": [{"id": r.id, "desa": r.scope, "winner": r.winner,
                  "conflicts": revtree.conflicts(json.loads(r.tree))}
                 for r in conn.execute(open_q)],
        "archived": [{"id": r.doc_id, "desa": r.scope, "rev": r.rev, "reason": r.reason,
                      "by": r.archived_by, "detail": r.detail,
                      "archived_at": r.archived_at.isoformat(), "doc": json.loads(r.body)}
                     for r in conn.execute(archived_q)],
    }
