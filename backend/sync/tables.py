"""Tables of the document store: documents, revision bodies, attachments, _local docs, history."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

JSONText = sa.Text  # documents are stored as the JSON text we serve, never re-encoded

# One row: the update sequence and document count, so db info is O(1). Writers lock it,
# which is what makes sequence numbers commit in order (a reader never skips a change).
sync_meta = sa.Table(
    "sync_meta", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uuid", sa.String(32), nullable=False),
    sa.Column("update_seq", sa.BigInteger, nullable=False),
    sa.Column("doc_count", sa.BigInteger, nullable=False),
    sa.Column("doc_del_count", sa.BigInteger, nullable=False),
)

# One row per document: its revision tree, and the metadata and body of its winning revision.
# `scope` is the replication key: the desa code, or '*' for reference documents.
documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("winner", sa.String(80), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("has_conflicts", sa.Boolean, nullable=False),
    sa.Column("doc_date", sa.Date, nullable=True),
    sa.Column("tree", JSONText, nullable=False),
    # The winner's body (a tombstone's, when the document is deleted): what reads serve.
    sa.Column("body", JSONText, nullable=False),
    sa.Index("ix_documents_scope_seq", "scope", "seq"),
    sa.Index("ix_documents_type", "type"),
)

# Bodies of the leaves that do not win: CouchDB's _conflicts and _deleted_conflicts. The
# winner's body is on its documents row, so the usual document (one leaf) is one row. Bodies
# of revisions that are no longer leaves are compacted away, as CouchDB does.
losing_leaves = sa.Table(
    "losing_leaves", metadata,
    sa.Column("doc_id", sa.String(200), primary_key=True),
    sa.Column("rev", sa.String(80), primary_key=True),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("body", JSONText, nullable=False),
)

# Attachment content addressed by digest within a document, shared by its revisions.
attachments = sa.Table(
    "attachments", metadata,
    sa.Column("doc_id", sa.String(200), primary_key=True),
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("content_type", sa.String(120), nullable=False),
    sa.Column("length", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

# Replication checkpoints and other non-replicated documents; ids are namespaced per user.
local_docs = sa.Table(
    "local_docs", metadata,
    sa.Column("id", sa.String(300), primary_key=True),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("body", JSONText, nullable=False),
)

# A document whose desa changed: devices of the old desa learn to purge it.
scope_exits = sa.Table(
    "scope_exits", metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("doc_id", sa.String(200), nullable=False),
    sa.Column("old_scope", sa.String(16), nullable=False),
    sa.Column("new_scope", sa.String(16), nullable=False),
    sa.Index("ix_scope_exits_old_scope_seq", "old_scope", "seq"),
)

# Bodies of revisions that lost a conflict and were merged away, or that the server refused
# and closed (sync/converge.py): no edit is ever lost. `reason` is `conflict_merged` or
# `refused_<code>`; a refusal also keeps who sent it and the server's sentence.
archived_revisions = sa.Table(
    "archived_revisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.String(200), nullable=False, index=True),
    sa.Column("rev", sa.String(80), nullable=False),
    sa.Column("body", JSONText, nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("archived_by", sa.String(64), nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
)
