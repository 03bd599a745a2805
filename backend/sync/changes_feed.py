"""The changes feed, scoped to the caller's desa, each change as JSON text ready to send.

A scoped page is read from the (scope, seq) index — one range of at most `limit` rows per
scope, merged — so it costs O(limit x scopes), never O(all changes): the cost that made the
Community Health Toolkit give up on CouchDB filtered replication. Changes are written as
text (doc_json.py): PouchDB pulls whole databases through this feed, and building and
encoding dicts was most of its cost.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from backend.sync import doc_json, revtree
from backend.sync.doc_json import ReadOptions, parse_tree, quote
from backend.sync.tables import documents, sync_meta


@dataclass
class Page:
    results: list[str]   # one JSON object per change, oldest first
    last_seq: int


def read(conn: sa.Connection, since: int, limit: int, scopes: Sequence[str] | None,
         all_leaves: bool, encounter_cutoff: dt.date | None = None, *,
         doc_ids: Sequence[str] | None = None, docs: ReadOptions | None = None) -> Page:
    """Changes after `since`, oldest first, optionally restricted to scopes (desa codes + '*').

    When fewer than `limit` changes come back, everything up to update_seq has been
    examined, so last_seq jumps there: a client never rescans changes it may not see.
    `all_leaves` is style=all_docs; `docs` asks for include_docs.
    """
    update_seq = current_seq(conn)
    # Bounded by the update_seq read first: rows committed meanwhile wait for the next call.
    params = {"since": since, "upto": update_seq, "cutoff": encounter_cutoff, "limit": limit}
    windowed, with_docs = encounter_cutoff is not None, docs is not None
    if scopes is not None and doc_ids is None:
        query = _query(with_docs, windowed, one_scope=True)
        rows = _merged([conn.execute(query, params | {"scope": scope}).all()
                        for scope in dict.fromkeys(scopes)], limit)
    else:
        query = _query(with_docs, windowed, one_scope=False)
        if doc_ids is not None:
            query = query.where(documents.c.id.in_(list(doc_ids)))
        if scopes is not None:
            query = query.where(documents.c.scope.in_(list(scopes)))
        rows = conn.execute(query, params).all()
    results = [_change(conn, row, all_leaves, docs) for row in rows]
    return Page(results, rows[-1].seq if len(rows) == limit else max(update_seq, since))


def current_seq(conn: sa.Connection) -> int:
    return conn.execute(_UPDATE_SEQ).scalar_one()


_UPDATE_SEQ = sa.select(sync_meta.c.update_seq).where(sync_meta.c.id == 1)


@functools.cache
def _query(with_docs: bool, windowed: bool, one_scope: bool) -> sa.Select:
    """The changes after :since up to :upto, oldest first, built once per shape (building
    a statement costs more than SQLAlchemy's cached compilation of it). The scope and the
    limit are written into the SQL text: PostgreSQL then plans each scope for its own size
    (a desa holds thousands of documents, '*' a few dozen) even once psycopg has prepared
    the statement, rather than settling on one generic plan for every scope."""
    query = sa.select(documents.c.seq, documents.c.id, documents.c.tree, documents.c.winner,
                      documents.c.deleted)
    if with_docs:
        query = query.add_columns(documents.c.body)
    query = query.where(documents.c.seq > sa.bindparam("since"),
                        documents.c.seq <= sa.bindparam("upto"))
    if windowed:
        # Only windowed types (documents/types.py) have a doc_date.
        query = query.where(sa.or_(
            documents.c.doc_date.is_(None),
            documents.c.doc_date >= sa.bindparam("cutoff", type_=sa.Date)))
    if one_scope:
        query = query.where(documents.c.scope == sa.bindparam(
            "scope", type_=sa.String, literal_execute=True))
    return query.order_by(documents.c.seq).limit(
        sa.bindparam("limit", type_=sa.Integer, literal_execute=True))


def _merged(ranges: list[list[sa.Row]], limit: int) -> list[sa.Row]:
    """The first `limit` rows of the scopes' ranges together. Each range is one statement,
    so the rows it returns are exactly the changes it examined, even under READ COMMITTED:
    the page's last seq is a safe last_seq."""
    if len(ranges) == 1:
        return ranges[0]
    return list(itertools.islice(heapq.merge(*ranges, key=operator.itemgetter(0)), limit))


def _change(conn: sa.Connection, row: sa.Row, all_leaves: bool,
            docs: ReadOptions | None) -> str:
    seq, doc_id, tree_text, winner, deleted = row[:5]
    tree = parse_tree(tree_text) if all_leaves or docs is not None else None
    if all_leaves and len(tree) > 1:
        changes = ",".join(f'{{"rev":{quote(rev)}}}' for rev, _ in revtree.leaves(tree))
    else:  # main_only, or a one-revision tree: its only leaf is the winner
        changes = f'{{"rev":{quote(winner)}}}'
    text = f'{{"seq":{seq},"id":{quote(doc_id)},"changes":[{changes}]'
    if deleted:
        text += ',"deleted":true'
    if docs is not None:
        text += ',"doc":' + doc_json.revision(conn, doc_id, tree, winner, winner,
                                              row[5], docs)
    return text + "}"
