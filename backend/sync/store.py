"""The document store's write path: every clinical write, replicated or REST, comes through here.

A batch is one transaction. It first locks the `sync_meta` row, so sequence numbers are
handed out and committed in order (a `_changes` reader can never see seq 11 before seq 10
commits and skip 10 forever). Each document is checked (`prepare`), authorised (`policy`),
merged into its revision tree, and the projections are updated from the new winners in the
same transaction. A refused document gets its own error entry; the rest of the batch lands.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from backend.db import insert_rows
from backend.documents.types import WINDOWED
from backend.jsontext import dumps
from backend.sync import converge, revtree
from backend.sync.batch_order import dependency_order
from backend.sync.prepare import DocError, Incoming, is_doc_id, prepare, scope_of
from backend.sync.tables import attachments, documents, losing_leaves, scope_exits, sync_meta
from backend.sync.write_policy import Refusal, WritePolicy

# projector(conn, [(doc id, new winner body or None when deleted)], ids never projected before)
Projector = Callable[[sa.Connection, list[tuple[str, dict | None]], set[str]], None]


@dataclass
class StoreOptions:
    revs_limit: int = 1000
    max_attachment_bytes: int = 2 * 1024 * 1024


@dataclass
class _Current:
    """What the store knows of a document while the batch is being applied."""

    tree: dict
    winner: str
    deleted: bool
    scope: str
    exists_in_db: bool
    doc_date: dt.date | None = None  # kept on the row when the winner does not change


@dataclass(frozen=True)
class _Stored:
    """A document as the database holds it when the batch starts."""

    winner: str
    leaves: frozenset[str]
    body: str  # the winner's


def bulk_write(conn: sa.Connection, docs: Iterable[object], *, new_edits: bool,
               policy: WritePolicy | None = None, options: StoreOptions | None = None,
               projector: Projector | None = None) -> list[dict]:
    """Apply a batch; returns one result per document in CouchDB `_bulk_docs` shape."""
    docs = list(docs)
    policy, options = policy or WritePolicy(), options or StoreOptions()
    meta = conn.execute(sa.select(sync_meta).where(sync_meta.c.id == 1).with_for_update()).one()
    batch = _Batch(conn, meta.update_seq, *_load(conn, docs))
    prepared = [_prepare(doc, new_edits, options) for doc in docs]
    policy.begin(conn, [p for p in prepared if isinstance(p, Incoming)], batch.stored_body)
    results: list[dict] = [{}] * len(docs)
    for index in dependency_order(prepared, policy.needs):
        item = prepared[index]
        try:
            if isinstance(item, DocError):
                raise item
            results[index] = batch.apply(item, new_edits, policy, options.revs_limit)
        except DocError as exc:
            results[index] = _refused(docs[index], exc)
    batch.flush(projector)
    return results


def _prepare(doc: object, new_edits: bool, options: StoreOptions) -> Incoming | DocError:
    try:
        return prepare(doc, new_edits, options.max_attachment_bytes)
    except DocError as exc:
        return exc


def _refused(doc: object, exc: DocError) -> dict:
    doc_id = doc.get("_id") if isinstance(doc, dict) else None
    result = {"id": doc_id, "error": exc.error, "reason": exc.reason}
    if exc.code:
        result["code"] = exc.code
    return result


def _load(conn: sa.Connection, docs: list) -> tuple[dict[str, _Current], dict[str, _Stored]]:
    # Only well-formed ids reach the query: the others are refused by prepare(), and one with a
    # lone surrogate cannot even be encoded for the database.
    ids = sorted({d["_id"] for d in docs if isinstance(d, dict) and is_doc_id(d.get("_id"))})
    current: dict[str, _Current] = {}
    stored: dict[str, _Stored] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(_CURRENT, {"ids": ids[start:start + 500]})
        for row in rows:
            tree = json.loads(row.tree)
            current[row.id] = _Current(tree, row.winner, row.deleted, row.scope, True,
                                       row.doc_date)
            stored[row.id] = _Stored(row.winner, frozenset(rev for rev, _ in revtree.leaves(tree)),
                                     row.body)
    return current, stored


# An expanding parameter: the statement is built and cached once, not per batch of ids.
_CURRENT = sa.select(documents.c.id, documents.c.tree, documents.c.winner, documents.c.deleted,
                     documents.c.scope, documents.c.doc_date, documents.c.body).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))


class _Batch:
    """Accumulates the rows of one batch and writes them with a few executemany calls."""

    def __init__(self, conn: sa.Connection, update_seq: int, current: dict[str, _Current],
                 stored: dict[str, _Stored]):
        self.conn, self.seq, self.current, self.stored = conn, update_seq, current, stored
        self.doc_rows: dict[str, dict] = {}
        self.new_bodies: dict[tuple[str, str], str] = {}  # (id, leaf) -> body text
        self.new_attachments: dict[tuple[str, str], dict] = {}
        self.exits: list[dict] = []
        self.projections: dict[str, dict | None] = {}
        self.count_delta = self.deleted_delta = 0

    def apply(self, incoming: Incoming, new_edits: bool, policy: WritePolicy,
              revs_limit: int) -> dict:
        current = self.current.get(incoming.id)
        refusal = policy.refuse(self.conn, incoming, current.scope if current else None)
        if refusal:
            if current and converge.applies(refusal.code, new_edits) and policy.sees(current.scope):
                self._close_refused(incoming, current, refusal, policy.writer, revs_limit)
            raise DocError("forbidden", refusal.reason, code=refusal.code)
        tree = current.tree if current else {}
        if new_edits:
            leaf = _new_edit_leaf(incoming, current)
            path = [leaf] + ([incoming.rev] if incoming.rev else [])
        else:
            leaf, path = incoming.rev, incoming.path
        tree, added = revtree.merge_path(tree, path, incoming.deleted)
        if not added:
            return {"ok": True, "id": incoming.id, "rev": leaf}
        self._check_stubs(incoming)
        tree, _ = revtree.stem(tree, revs_limit)
        self._record(incoming, current, tree, leaf)
        policy.written(incoming)
        return {"ok": True, "id": incoming.id, "rev": leaf}

    def stored_body(self, doc_id: str) -> dict | None:
        stored = self.stored.get(doc_id)
        return json.loads(stored.body) if stored else None

    def _close_refused(self, incoming: Incoming, current: _Current, refusal: Refusal,
                       writer: str | None, revs_limit: int) -> None:
        """Record a refused replicated revision and close it at once (sync/converge.py)."""
        closing = converge.close(current.tree, incoming.path, incoming.deleted,
                                 lambda rev: self._body(incoming.id, rev))
        if closing is None:
            return  # a retried push: closed the first time
        converge.archive(self.conn, incoming.id, incoming.rev, incoming.body, refusal, writer)
        tree, _ = revtree.stem(closing.tree, revs_limit)
        restored = Incoming(incoming.id, incoming.type, closing.deleted, closing.body)
        self._record(restored, current, tree, closing.rev)

    def _check_stubs(self, incoming: Incoming) -> None:
        pending = {(incoming.id, a["digest"]) for a in incoming.new_attachments}
        for name, att in (incoming.body.get("_attachments") or {}).items():
            key = (incoming.id, att["digest"])
            if key in pending or key in self.new_attachments:
                continue
            exists = self.conn.execute(sa.select(attachments.c.digest).where(
                attachments.c.doc_id == incoming.id, attachments.c.digest == att["digest"]))
            if exists.first() is None:
                raise DocError("missing_stub", f"Attachment stub {name!r} has no content here",
                               status=412)

    def _record(self, incoming: Incoming, current: _Current | None, tree: dict, leaf: str
                ) -> None:
        self.seq += 1
        ranked = revtree.leaves(tree)  # winner first; computed once, it is the hot path
        for att in (incoming.body.get("_attachments") or {}).values():
            att.setdefault("revpos", revtree.parse_rev(leaf)[0])
        for att in incoming.new_attachments:
            self.new_attachments[(incoming.id, att["digest"])] = {"doc_id": incoming.id, **att}
        self.new_bodies[(incoming.id, leaf)] = dumps(incoming.body)
        winner, deleted = ranked[0]
        row = self.doc_rows.setdefault(incoming.id,
                                       {"doc_date": current.doc_date if current else None})
        scope = current.scope if current else (incoming.scope or "")
        if current is None or winner != current.winner:
            # The winner may be the new leaf or, when the old winner was just deleted,
            # another leaf already stored: read the document's place from the winner itself.
            body = incoming.body if winner == leaf else self._body(incoming.id, winner)
            # A deleted encounter has no date: its tombstone reaches every device's window.
            row["doc_date"] = None if deleted else _window_date(incoming.type, body)
            if not deleted:
                scope = scope_of(incoming.type, body) or scope
            self.projections[incoming.id] = None if deleted else body
        if current and scope != current.scope:
            self.exits.append({"seq": self.seq, "doc_id": incoming.id,
                               "old_scope": current.scope, "new_scope": scope})
        row.update(id=incoming.id, type=incoming.type, scope=scope, seq=self.seq, winner=winner,
                   deleted=deleted, has_conflicts=any(not gone for _, gone in ranked[1:]),
                   tree=tree, leaves=ranked, insert=not (current and current.exists_in_db))
        was_live = current is not None and not current.deleted
        self.count_delta += (not deleted) - was_live
        self.deleted_delta += deleted - (current is not None and current.deleted)
        self.current[incoming.id] = _Current(tree, winner, deleted, scope,
                                             current.exists_in_db if current else False,
                                             row["doc_date"])

    def _body(self, doc_id: str, rev: str) -> dict:
        return json.loads(self._body_text(doc_id, rev))

    def _body_text(self, doc_id: str, rev: str) -> str:
        """A leaf's body: new in this batch, the stored winner's, or a stored losing leaf's."""
        pending = self.new_bodies.get((doc_id, rev))
        if pending is not None:
            return pending
        stored = self.stored.get(doc_id)
        if stored is not None and rev == stored.winner:
            return stored.body
        return self.conn.execute(_LOSING_BODY, {"doc_id": doc_id, "rev": rev}).scalar_one()

    def _place_bodies(self) -> tuple[list[tuple[str, str]], list[dict]]:
        """Put each touched document's winner body on its row; returns the losing leaves to
        delete (they won, or are no longer leaves) and those to insert (new, or the old winner
        beaten by a conflict)."""
        drop, add = [], []
        for doc_id, row in self.doc_rows.items():
            winner, stored = row["winner"], self.stored.get(doc_id)
            row["body"] = self._body_text(doc_id, winner)
            row["tree"] = dumps(row["tree"])
            if stored is None and len(row["leaves"]) == 1:
                continue  # the common case: a new document without conflicts
            losers = {rev for rev, _ in row["leaves"][1:]}
            old_losers = stored.leaves - {stored.winner} if stored else frozenset()
            add += [{"doc_id": doc_id, "rev": rev, "deleted": deleted,
                     "body": self._body_text(doc_id, rev)}
                    for rev, deleted in row["leaves"][1:] if rev not in old_losers]
            drop += [(doc_id, rev) for rev in old_losers - losers]
        return drop, add

    def flush(self, projector: Projector | None) -> None:
        conn = self.conn
        drop, add = self._place_bodies()
        inserts = [r for r in self.doc_rows.values() if r["insert"]]
        updates = [r for r in self.doc_rows.values() if not r["insert"]]
        if drop:
            conn.execute(losing_leaves.delete().where(
                losing_leaves.c.doc_id == sa.bindparam("d"),
                losing_leaves.c.rev == sa.bindparam("r")), [{"d": d, "r": r} for d, r in drop])
        if updates:
            _update_documents(conn, updates)
        insert_rows(conn, documents, [_columns(r) for r in inserts])
        insert_rows(conn, losing_leaves, add)
        if self.new_attachments:
            _insert_attachments(conn, list(self.new_attachments.values()))
        if self.exits:
            conn.execute(scope_exits.insert(), self.exits)
        if self.doc_rows:
            conn.execute(sync_meta.update().where(sync_meta.c.id == 1).values(
                update_seq=self.seq,
                doc_count=sync_meta.c.doc_count + self.count_delta,
                doc_del_count=sync_meta.c.doc_del_count + self.deleted_delta))
        if projector and self.projections:
            projector(conn, list(self.projections.items()), {r["id"] for r in inserts})


def _window_date(doc_type: str, body: dict) -> dt.date | None:
    """Windowed types (encounters: their visit date) carry it on the row for the device window."""
    field = WINDOWED.get(doc_type)
    return dt.date.fromisoformat(body[field]) if field else None


def _new_edit_leaf(incoming: Incoming, current: _Current | None) -> str:
    """The new revision for an interactive edit, or DocError('conflict') as CouchDB answers."""
    conflict = DocError("conflict", "Document update conflict.", status=409)
    if incoming.rev is None:
        if current and not current.deleted:
            raise conflict
        # Re-creating a deleted document extends its tombstone, as CouchDB does.
        incoming.rev = current.winner if current else None
    elif not current or incoming.rev not in {r for r, _ in revtree.leaves(current.tree)}:
        raise conflict
    return revtree.new_rev(incoming.rev, incoming.body, incoming.deleted)


_DOC_COLUMNS = ("id", "type", "scope", "seq", "winner", "deleted", "has_conflicts", "doc_date",
                "tree", "body")
_LOSING_BODY = sa.select(losing_leaves.c.body).where(
    losing_leaves.c.doc_id == sa.bindparam("doc_id"), losing_leaves.c.rev == sa.bindparam("rev"))


def _columns(row: dict) -> dict:
    return {k: row[k] for k in _DOC_COLUMNS}


def _update_documents(conn: sa.Connection, rows: list[dict]) -> None:
    # New seqs are all above the locked update_seq, so the unique seq index never collides.
    stmt = documents.update().where(documents.c.id == sa.bindparam("b_id")).values(
        {c: sa.bindparam(f"b_{c}") for c in _DOC_COLUMNS if c != "id"})
    conn.execute(stmt, [{f"b_{k}": v for k, v in _columns(r).items()} for r in rows])


def _insert_attachments(conn: sa.Connection, rows: list[dict]) -> None:
    keys = [(r["doc_id"], r["digest"]) for r in rows]
    existing = set()
    for doc_id, digest in keys:
        hit = conn.execute(sa.select(attachments.c.digest).where(
            attachments.c.doc_id == doc_id, attachments.c.digest == digest)).first()
        if hit:
            existing.add((doc_id, digest))
    fresh = [r for r in rows if (r["doc_id"], r["digest"]) not in existing]
    if fresh:
        conn.execute(attachments.insert(), fresh)
