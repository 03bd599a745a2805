"""Staff accounts, their area scope, login sessions and failed-login records.

Users are not clinical records, so they live in plain tables rather than documents.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(120), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("cluster", sa.String(8)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    # Area = every desa of the Puskesmas, now and later (Puskesmas-wide roles); else the
    # desa listed in user_scopes.
    sa.Column("whole_puskesmas", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# The desa a user may see, unless `users.whole_puskesmas` says every desa.
user_scopes = sa.Table(
    "user_scopes", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("desa", sa.String(10), primary_key=True),
)

# Server-side sessions: the cookie holds a random token, the table its SHA-256, so a
# database leak does not hand out live sessions and logout really ends the session.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_login_failures_key_at", "key", "at"),
)
