"""The document store's read path: db info, documents by revision, changes feed, revs_diff."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Sequence
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
    """Bodies of (doc_id, rev) pairs, fetched per document in one query each."""
    by_doc: dict[str, list[str]] = {}
    for doc_id, rev in keys:
        by_doc.setdefault(doc_id, []).append(rev)
    bodies = {}
    for doc_id, revs in by_doc.items():
        rows = conn.execute(sa.select(revisions.c.rev, revisions.c.body).where(
            revisions.c.doc_id == doc_id, revisions.c.rev.in_(revs)))
        bodies.update({(doc_id, r.rev): json.loads(r.body) for r in rows})
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
    leaves = [rev for rev, _ in revtree.leaves(row.tree)]
    if wanted == "all":
        targets = leaves
    else:
        targets = []
        for rev in wanted:
            targets.extend(_latest(row.tree, rev, leaves) if opts.latest else [rev])
    targets = list(dict.fromkeys(targets))
    bodies = load_bodies(conn, [(row.id, rev) for rev in targets])
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


def changes(conn: sa.Connection, since: int, limit: int, scopes: Sequence[str] | None,
            all_leaves: bool, encounter_cutoff: dt.date | None = None) -> tuple[list[dict], int]:
    """Changes after `since`, oldest first, optionally restricted to scopes (desa codes + '*').

    The (scope, seq) index makes a scoped feed cost O(changes in scope). When fewer than
    `limit` rows come back, everything up to the current update_seq has been examined, so
    last_seq jumps there: a client never rescans changes it may not see.
    """
    update_seq = conn.execute(sa.select(sync_meta.c.update_seq)).scalar_one()
    query = sa.select(documents.c.id, documents.c.seq, documents.c.tree, documents.c.winner,
                      documents.c.deleted).where(documents.c.seq > since)
    if scopes is not None:
        query = query.where(documents.c.scope.in_(list(scopes)))
    if encounter_cutoff is not None:
        query = query.where(sa.or_(documents.c.type != "encounter",
                                   documents.c.doc_date.is_(None),
                                   documents.c.doc_date >= encounter_cutoff))
    rows = conn.execute(query.order_by(documents.c.seq).limit(limit)).all()
    results = []
    for r in rows:
        tree = json.loads(r.tree)
        revs = [rev for rev, _ in revtree.leaves(tree)] if all_leaves else [r.winner]
        entry = {"seq": r.seq, "id": r.id, "changes": [{"rev": rev} for rev in revs]}
        if r.deleted:
            entry["deleted"] = True
        results.append(entry)
    last_seq = rows[-1].seq if len(rows) == limit else max(update_seq, since)
    return results, last_seq


def revs_diff(conn: sa.Connection, request: dict[str, list[str]]) -> dict:
    rows = load_rows(conn, list(request))
    answer = {}
    for doc_id, revs in request.items():
        row = rows.get(doc_id)
        if row is None:
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
