"""The document store's read path: db info, documents by revision, changes feed, revs_diff."""

from __future__ import annotations

import base64
import datetime as dt
import heapq
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from backend.sync import revtree
from backend.sync.prepare import REFERENCE_SCOPE, DocError
from backend.sync.tables import attachments, documents, revisions, scope_exits, sync_meta


def not_found(reason: str = "missing") -> DocError:
    return DocError("not_found", reason, status=404)


def info(conn: sa.Connection, db_name: str) -> dict:
    meta = conn.execute(sa.select(sync_meta).where(sync_meta.c.id == 1)).one()
    return {"db_name": db_name, "doc_count": meta.doc_count, "doc_del_count": meta.doc_del_count,
            "update_seq": meta.update_seq, "purge_seq": 0, "compact_running": False,
            "instance_start_time": "0", "disk_format_version": 8}


def server_uuid(conn: sa.Connection) -> str:
    return conn.execute(sa.select(sync_meta.c.uuid).where(sync_meta.c.id == 1)).scalar_one()


@dataclass
class DocRow:
    id: str
    scope: str
    tree: dict
    winner: str
    deleted: bool


def load_rows(conn: sa.Connection, ids: Sequence[str]) -> dict[str, DocRow]:
    found = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(
            documents.c.id, documents.c.scope, documents.c.tree, documents.c.winner,
            documents.c.deleted).where(documents.c.id.in_(ids[start:start + 500])))
        for r in rows:
            found[r.id] = DocRow(r.id, r.scope, json.loads(r.tree), r.winner, r.deleted)
    return found


def load_bodies(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple, dict]:
    """Bodies of (doc_id, rev) pairs, a few hundred documents per query.

    Selected by document id only: SQLite answers `(doc_id, rev) IN (...)` with a full table
    scan, while `doc_id IN (...)` walks the primary key. Only leaves keep bodies, so the
    extra rows are the few conflicting leaves, dropped here.
    """
    wanted = set(keys)
    ids = sorted({doc_id for doc_id, _ in wanted})
    bodies = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(sa.select(revisions.c.doc_id, revisions.c.rev, revisions.c.body)
                            .where(revisions.c.doc_id.in_(ids[start:start + 500])))
        bodies.update({(r.doc_id, r.rev): json.loads(r.body) for r in rows
                       if (r.doc_id, r.rev) in wanted})
    return bodies


@dataclass
class ReadOptions:
    revs: bool = False
    conflicts: bool = False
    attachments: bool = False
    latest: bool = False


def render(conn: sa.Connection, row: DocRow, rev: str, body: dict, opts: ReadOptions) -> dict:
    """A revision as CouchDB serves it: `_id`, `_rev`, meta fields on request."""
    deleted = bool(row.tree.get(rev, [None, False])[1])
    doc = {"_id": row.id, "_rev": rev, **body}
    if deleted:
        doc["_deleted"] = True
    if opts.revs:
        doc["_revisions"] = revtree.revisions_field(row.tree, rev)
    if opts.conflicts and rev == row.winner:
        found = revtree.conflicts(row.tree)
        if found:
            doc["_conflicts"] = found
    if opts.attachments and doc.get("_attachments"):
        doc["_attachments"] = _inline(conn, row.id, doc["_attachments"])
    return doc


def _inline(conn: sa.Connection, doc_id: str, stubs: dict) -> dict:
    inlined = {}
    for name, stub in stubs.items():
        data = attachment_data(conn, doc_id, stub["digest"])
        entry = {k: v for k, v in stub.items() if k not in ("stub", "length")}
        inlined[name] = entry | {"data": base64.b64encode(data).decode()}
    return inlined


def attachment_data(conn: sa.Connection, doc_id: str, digest: str) -> bytes:
    data = conn.execute(sa.select(attachments.c.data).where(
        attachments.c.doc_id == doc_id, attachments.c.digest == digest)).scalar()
    if data is None:
        raise not_found("Document is missing attachment")
    return bytes(data)


def get_doc(conn: sa.Connection, doc_id: str, rev: str | None, opts: ReadOptions) -> dict:
    """GET /<db>/<id>[?rev=]: the winner (404 'deleted' if it is a tombstone) or one revision."""
    row = load_rows(conn, [doc_id]).get(doc_id)
    if row is None:
        raise not_found("missing")
    if rev is None:
        if row.deleted:
            raise not_found("deleted")
        rev = row.winner
    body = load_bodies(conn, [(doc_id, rev)]).get((doc_id, rev))
    if body is None:
        raise not_found("missing")
    return render(conn, row, rev, body, opts)


def open_revs(conn: sa.Connection, row: DocRow, wanted: list[str] | str,
              opts: ReadOptions) -> list[dict]:
    """`open_revs` semantics: each wanted rev (or all leaves) as {"ok": doc} or {"missing": rev}.
    With `latest`, a rev that is no longer a leaf is answered with its leaf descendants."""
    targets = _targets(row, wanted, opts.latest)
    bodies = load_bodies(conn, [(row.id, rev) for rev in targets])
    return _rendered(conn, row, targets, bodies, opts)


def _targets(row: DocRow, wanted: list[str] | str, latest: bool) -> list[str]:
    leaves = [rev for rev, _ in revtree.leaves(row.tree)]
    if wanted == "all":
        return leaves
    targets = []
    for rev in wanted:
        targets.extend(_latest(row.tree, rev, leaves) if latest else [rev])
    return list(dict.fromkeys(targets))


def _rendered(conn: sa.Connection, row: DocRow, targets: list[str], bodies: dict,
              opts: ReadOptions) -> list[dict]:
    out = []
    for rev in targets:
        body = bodies.get((row.id, rev))
        out.append({"missing": rev} if body is None else
                   {"ok": render(conn, row, rev, body, opts)})
    return out


def _latest(tree: dict, rev: str, leaves: list[str]) -> list[str]:
    if rev not in tree or rev in leaves:
        return [rev]
    return [leaf for leaf in leaves if rev in revtree.ancestry(tree, leaf)] or [rev]


def bulk_get(conn: sa.Connection, requests: list[dict], opts: ReadOptions,
             visible: Callable[[str], bool]) -> list[dict]:
    """`_bulk_get`: one result per requested {id, rev?}, bodies fetched in a few queries.
    A document the caller may not see is answered exactly like one that does not exist."""
    rows = load_rows(conn, [r["id"] for r in requests])
    plans = []
    for request in requests:
        row = rows.get(request["id"])
        if row is not None and not visible(row.scope):
            row = None
        wanted = [request["rev"]] if request.get("rev") else [row.winner] if row else []
        plans.append((request, row, _targets(row, wanted, opts.latest) if row else wanted))
    bodies = load_bodies(conn, [(row.id, rev) for _, row, revs in plans if row for rev in revs])
    results = []
    for request, row, revs in plans:
        docs = _rendered(conn, row, revs, bodies, opts) if row else []
        docs = [d if "ok" in d else {"error": _missing(request["id"], d["missing"])} for d in docs]
        results.append({"id": request["id"],
                        "docs": docs or [{"error": _missing(request["id"], request.get("rev"))}]})
    return results


def _missing(doc_id: str, rev: str | None) -> dict:
    return {"id": doc_id, "rev": rev or "undefined", "error": "not_found", "reason": "missing"}


def changes(conn: sa.Connection, since: int, limit: int, scopes: Sequence[str] | None,
            all_leaves: bool, encounter_cutoff: dt.date | None = None, *,
            doc_ids: Sequence[str] | None = None,
            docs: ReadOptions | None = None) -> tuple[list[dict], int]:
    """Changes after `since`, oldest first, optionally restricted to scopes (desa codes + '*').

    A scoped page is found in the (scope, seq) index alone — one range per scope, merged —
    and only then are its rows read, so it costs O(limit x scopes) index entries and `limit`
    rows, never O(all changes). When fewer than `limit` changes come back, everything up to
    update_seq has been examined, so last_seq jumps there: a client never rescans changes it
    may not see. `docs` asks for include_docs.
    """
    update_seq = conn.execute(
        sa.select(sync_meta.c.update_seq).where(sync_meta.c.id == 1)).scalar_one()
    where = _changes_filter(since, update_seq, encounter_cutoff)
    seqs = None
    if doc_ids is not None:
        where.append(documents.c.id.in_(list(doc_ids)))
    if scopes is not None and doc_ids is None:
        seqs = _scoped_seqs(conn, where, scopes, limit)
        where.append(documents.c.seq.in_(seqs))
    elif scopes is not None:
        where.append(documents.c.scope.in_(list(scopes)))
    rows = conn.execute(_rows_query(docs is not None).where(*where)
                        .order_by(documents.c.seq).limit(limit)).all()
    results = [_change(conn, r, all_leaves, docs) for r in rows]
    # From what was examined, not what was read: under READ COMMITTED a row found in the
    # index may have moved to a seq above update_seq before it was read; the next call
    # finds it there, so last_seq must not jump past the rest of the examined range.
    examined = seqs if seqs is not None else [r.seq for r in rows]
    last_seq = examined[-1] if len(examined) == limit else max(update_seq, since)
    return results, last_seq


def _changes_filter(since: int, update_seq: int, encounter_cutoff: dt.date | None) -> list:
    # Bounded by the update_seq read first: rows committed meanwhile wait for the next call.
    where = [documents.c.seq > since, documents.c.seq <= update_seq]
    if encounter_cutoff is not None:
        where.append(sa.or_(documents.c.type != "encounter", documents.c.doc_date.is_(None),
                            documents.c.doc_date >= encounter_cutoff))
    return where


def _scoped_seqs(conn: sa.Connection, where: list, scopes: Sequence[str],
                 limit: int) -> list[int]:
    ranges = [conn.execute(sa.select(documents.c.seq).where(*where, documents.c.scope == scope)
                           .order_by(documents.c.seq).limit(limit)).scalars().all()
              for scope in dict.fromkeys(scopes)]
    return list(itertools.islice(heapq.merge(*ranges), limit))


def _rows_query(with_docs: bool) -> sa.Select:
    query = sa.select(documents.c.id, documents.c.seq, documents.c.scope, documents.c.tree,
                      documents.c.winner, documents.c.deleted)
    if with_docs:
        query = query.add_columns(revisions.c.body).outerjoin(revisions, sa.and_(
            revisions.c.doc_id == documents.c.id, revisions.c.rev == documents.c.winner))
    return query


def _change(conn: sa.Connection, r: sa.Row, all_leaves: bool, docs: ReadOptions | None) -> dict:
    tree = json.loads(r.tree)
    revs = [rev for rev, _ in revtree.leaves(tree)] if all_leaves else [r.winner]
    entry = {"seq": r.seq, "id": r.id, "changes": [{"rev": rev} for rev in revs]}
    if r.deleted:
        entry["deleted"] = True
    if docs is not None:
        row = DocRow(r.id, r.scope, tree, r.winner, r.deleted)
        entry["doc"] = render(conn, row, r.winner, json.loads(r.body or "{}"), docs)
    return entry


def revs_diff(conn: sa.Connection, request: dict[str, list[str]],
              visible: Callable[[str], bool] | None = None) -> dict:
    """Per document, the revisions we lack. A document the caller may not see is answered
    as unknown: its existence stays private (a push of it is then refused per document)."""
    rows = load_rows(conn, list(request))
    answer = {}
    for doc_id, revs in request.items():
        row = rows.get(doc_id)
        if row is None or (visible is not None and not visible(row.scope)):
            answer[doc_id] = {"missing": sorted(set(revs))}
            continue
        missing, ancestors = revtree.missing_revs(row.tree, revs)
        if missing:
            answer[doc_id] = {"missing": missing}
            if ancestors:
                answer[doc_id]["possible_ancestors"] = ancestors
    return answer


def scope_exits_since(conn: sa.Connection, since: int, scopes: Sequence[str],
                      limit: int) -> list[dict]:
    """Documents that left any of `scopes` after `since` and are still outside them now."""
    scopes = list(scopes)
    rows = conn.execute(
        sa.select(scope_exits.c.seq, scope_exits.c.doc_id, scope_exits.c.old_scope)
        .join(documents, documents.c.id == scope_exits.c.doc_id)
        .where(scope_exits.c.seq > since, scope_exits.c.old_scope.in_(scopes),
               documents.c.scope.not_in([*scopes, REFERENCE_SCOPE]))
        .order_by(scope_exits.c.seq).limit(limit)).all()
    return [{"seq": r.seq, "id": r.doc_id, "from": r.old_scope} for r in rows]
