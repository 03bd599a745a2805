"""The document store's read path: db info, documents by revision, revs_diff, scope exits.

Replication endpoints get JSON text (`*_json`), written around the stored bodies by
doc_json.py; the decoded variants serve the REST API, the upstream federation and tests.
The changes feed is changes_feed.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from backend.sync import changes_feed, doc_json, revtree
from backend.sync.doc_json import ReadOptions, attachment_data, not_found, parse_tree
from backend.sync.prepare import REFERENCE_SCOPE, DocError
from backend.sync.tables import documents, losing_leaves, scope_exits, sync_meta

__all__ = ["DocError", "DocRow", "ReadOptions", "attachment_data", "bulk_get", "bulk_get_json",
           "changes", "get_doc", "get_doc_json", "info", "load_bodies", "load_docs", "load_rows",
           "not_found", "open_revs_json", "revs_diff", "scope_exits_since", "server_uuid"]


def info(conn: sa.Connection, db_name: str) -> dict:
    meta = conn.execute(sa.select(sync_meta).where(sync_meta.c.id == 1)).one()
    return {"db_name": db_name, "doc_count": meta.doc_count, "doc_del_count": meta.doc_del_count,
            "update_seq": meta.update_seq, "purge_seq": 0, "compact_running": False,
            "instance_start_time": "0", "disk_format_version": 8}


def server_uuid(conn: sa.Connection) -> str:
    return conn.execute(sa.select(sync_meta.c.uuid).where(sync_meta.c.id == 1)).scalar_one()


@dataclass(slots=True)
class DocRow:
    id: str
    scope: str
    tree: dict
    winner: str
    deleted: bool
    bodies: dict[str, str] = field(default_factory=dict)  # leaf rev -> body text (load_docs)


def load_rows(conn: sa.Connection, ids: Sequence[str]) -> dict[str, DocRow]:
    """Documents' trees and winners, without bodies."""
    found = {}
    for chunk in _chunks(ids):
        for doc_id, scope, tree, winner, deleted in conn.execute(_ROWS, {"ids": chunk}):
            found[doc_id] = DocRow(doc_id, scope, parse_tree(tree), winner, deleted)
    return found


# One cached statement (an expanding IN): every pushed batch asks _revs_diff first.
_ROWS = sa.select(documents.c.id, documents.c.scope, documents.c.tree, documents.c.winner,
                  documents.c.deleted).where(documents.c.id.in_(sa.bindparam("ids",
                                                                             expanding=True)))


def load_docs(conn: sa.Connection, ids: Sequence[str]) -> dict[str, DocRow]:
    """Documents with the body text of every leaf, in one query per few hundred documents.

    Only leaves keep bodies, and most documents have one leaf (the winner, on the documents
    row), so reading every leaf costs little more than reading the one wanted, and saves a
    second query and its matching."""
    found: dict[str, DocRow] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        for doc_id, scope, tree, winner, deleted, body, rev, losing_body in conn.execute(
                _DOCS_WITH_BODIES, {"ids": chunk}).all():
            row = found.get(doc_id)
            if row is None:
                row = found[doc_id] = DocRow(doc_id, scope, parse_tree(tree), winner, deleted)
                row.bodies[winner] = body
            if rev is not None:
                row.bodies[rev] = losing_body
    return found


_DOCS_WITH_BODIES = sa.select(
    documents.c.id, documents.c.scope, documents.c.tree, documents.c.winner, documents.c.deleted,
    documents.c.body, losing_leaves.c.rev, losing_leaves.c.body,
).select_from(documents.outerjoin(losing_leaves, losing_leaves.c.doc_id == documents.c.id)).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def load_bodies(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple, dict]:
    """Bodies of (doc_id, rev) pairs that are leaves, decoded; other pairs are left out."""
    wanted = set(keys)
    rows = load_docs(conn, sorted({doc_id for doc_id, _ in wanted}))
    return {(doc_id, rev): json.loads(body) for doc_id, row in rows.items()
            for rev, body in row.bodies.items() if (doc_id, rev) in wanted}


def get_doc_json(conn: sa.Connection, row: DocRow | None, rev: str | None,
                 opts: ReadOptions) -> str:
    """GET /<db>/<id>[?rev=] of a row from load_docs: the winner (404 'deleted' if it is a
    tombstone) or one revision."""
    if row is None:
        raise not_found("missing")
    if rev is None:
        if row.deleted:
            raise not_found("deleted")
        rev = row.winner
    body = row.bodies.get(rev)
    if body is None:
        raise not_found("missing")
    return doc_json.revision(conn, row.id, row.tree, row.winner, rev, body, opts)


def get_doc(conn: sa.Connection, doc_id: str, rev: str | None, opts: ReadOptions) -> dict:
    """A document as get_doc_json serves it, decoded (for the REST API and tests)."""
    row = load_docs(conn, [doc_id]).get(doc_id)
    return json.loads(get_doc_json(conn, row, rev, opts))


def open_revs_json(conn: sa.Connection, row: DocRow, wanted: list[str] | str,
                   opts: ReadOptions) -> str:
    """`open_revs` of a row from load_docs: each wanted rev (or all leaves) as {"ok": doc}
    or {"missing": rev}. With `latest`, a rev that is no longer a leaf is answered with its
    leaf descendants."""
    answers = []
    for rev in _targets(row, wanted, opts.latest):
        body = row.bodies.get(rev)
        answers.append(f'{{"missing":{doc_json.quote(rev)}}}' if body is None else
                       '{"ok":' + doc_json.revision(conn, row.id, row.tree, row.winner, rev,
                                                    body, opts) + "}")
    return "[" + ",".join(answers) + "]"


def _targets(row: DocRow, wanted: list[str] | str, latest: bool) -> list[str]:
    if wanted != "all" and len(wanted) == 1 and wanted[0] == row.winner:
        return [row.winner]  # the common case: a leaf, so `latest` changes nothing
    leaves = [rev for rev, _ in revtree.leaves(row.tree)]
    if wanted == "all":
        return leaves
    targets = []
    for rev in wanted:
        targets.extend(_latest(row.tree, rev, leaves) if latest else [rev])
    return list(dict.fromkeys(targets))


def _latest(tree: dict, rev: str, leaves: list[str]) -> list[str]:
    if rev not in tree or rev in leaves:
        return [rev]
    return [leaf for leaf in leaves if rev in revtree.ancestry(tree, leaf)] or [rev]


def bulk_get_json(conn: sa.Connection, requests: list[dict], opts: ReadOptions,
                  visible: Callable[[str], bool]) -> str:
    """`_bulk_get` results (a JSON list): one per requested {id, rev?}, every document and
    body read in one query per few hundred ids. A document the caller may not see is
    answered exactly like one that does not exist."""
    rows = load_docs(conn, [r["id"] for r in requests])
    results = []
    for request in requests:
        doc_id, rev = request["id"], request.get("rev")
        row = rows.get(doc_id)
        docs = []
        if row is not None and visible(row.scope):
            for target in _targets(row, [rev or row.winner], opts.latest):
                body = row.bodies.get(target)
                docs.append('{"error":' + _missing(doc_id, target) + "}" if body is None else
                            '{"ok":' + doc_json.revision(conn, doc_id, row.tree, row.winner,
                                                         target, body, opts) + "}")
        if not docs:
            docs.append('{"error":' + _missing(doc_id, rev) + "}")
        results.append(f'{{"id":{doc_json.quote(doc_id)},"docs":[{",".join(docs)}]}}')
    return "[" + ",".join(results) + "]"


def bulk_get(conn: sa.Connection, requests: list[dict], opts: ReadOptions,
             visible: Callable[[str], bool]) -> list[dict]:
    """`_bulk_get` results decoded (for the upstream federation)."""
    return json.loads(bulk_get_json(conn, requests, opts, visible))


def _missing(doc_id: str, rev: str | None) -> str:
    return doc_json.dumps({"id": doc_id, "rev": rev or "undefined", "error": "not_found",
                           "reason": "missing"})


def changes(conn: sa.Connection, since: int, limit: int, scopes: Sequence[str] | None,
            all_leaves: bool, encounter_cutoff: dt.date | None = None, *,
            doc_ids: Sequence[str] | None = None,
            docs: ReadOptions | None = None) -> tuple[list[dict], int]:
    """The changes feed decoded (for the upstream federation and tests); see changes_feed."""
    page = changes_feed.read(conn, since, limit, scopes, all_leaves, encounter_cutoff,
                             doc_ids=doc_ids, docs=docs)
    return [json.loads(entry) for entry in page.results], page.last_seq


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
