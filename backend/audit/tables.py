"""The append-only audit table."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    # The actor is kept by name as well as id: the trail must still read after a user is renamed.
    sa.Column("actor_id", sa.Integer),
    sa.Column("actor", sa.String(64)),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target_type", sa.String(40), nullable=False),
    sa.Column("target_id", sa.String(200), nullable=False),
    sa.Column("desa", sa.String(10)),
    sa.Column("detail", sa.Text),          # JSON: what changed (never a password)
    sa.Column("address", sa.String(64)),   # client address as ProxyFix resolved it
    sa.Column("request_id", sa.String(64)),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_target", "target_type", "target_id"),
    sa.Index("ix_audit_log_actor_at", "actor_id", "at"),
)
