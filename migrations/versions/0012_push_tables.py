"""Reminders and web push: invites and consents projected, subscriptions, outbox, worker state.

`subscription_invites` and `subscription_consents` are projections of the two document types
(filled by `flask reproject`); `push_subscriptions` and `push_outbox` are push state
(backend/push/tables.py); `worker_jobs` and `worker_leases` are the worker's own record
(backend/worker/tables.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

ID = sa.String(length=200)
DESA = sa.String(length=16)
TS = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "subscription_invites",
        sa.Column("id", ID, primary_key=True),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        sa.Column("revoked_at", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_subscription_invites_household_id", "subscription_invites",
                    ["household_id"])
    op.create_index("ix_subscription_invites_token_hash", "subscription_invites", ["token_hash"])
    op.create_table(
        "subscription_consents",
        sa.Column("id", ID, primary_key=True),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("person_id", ID),
        sa.Column("invite_id", ID),
        sa.Column("given_at", TS, nullable=False),
        sa.Column("given_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_at", TS),
    )
    op.create_index("ix_subscription_consents_household_id", "subscription_consents",
                    ["household_id"])
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("endpoint", sa.String(length=1024), nullable=False, unique=True),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=40), nullable=False),
        sa.Column("household_id", ID),
        sa.Column("consent_id", ID),
        sa.Column("desa", DESA),
        sa.Column("family_key_hash", sa.String(length=64), unique=True),
        sa.Column("username", sa.String(length=64)),
        sa.Column("user_agent", sa.String(length=200)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_sent_at", TS),
    )
    op.create_index("ix_push_subscriptions_household_id", "push_subscriptions",
                    ["household_id"])
    op.create_index("ix_push_subscriptions_username", "push_subscriptions", ["username"])
    op.create_table(
        "push_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(length=300), nullable=False, unique=True),
        sa.Column("subscription_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("household_id", ID),
        sa.Column("username", sa.String(length=64)),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=32)),
        sa.Column("ttl", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.String(length=300)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
    )
    op.create_index("ix_push_outbox_subscription_id", "push_outbox", ["subscription_id"])
    op.create_index("ix_push_outbox_household_id", "push_outbox", ["household_id"])
    op.create_index("ix_push_outbox_status_next", "push_outbox", ["status", "next_attempt_at"])
    op.create_index("ix_push_outbox_household_sent", "push_outbox", ["household_id", "sent_at"])
    op.create_table(
        "worker_jobs",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("last_started_at", TS),
        sa.Column("last_finished_at", TS),
        sa.Column("last_ok_at", TS),
        sa.Column("last_error", sa.String(length=500)),
        sa.Column("last_duration_ms", sa.Integer()),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
    )
    op.create_table(
        "worker_leases",
        sa.Column("holder", sa.String(length=80), primary_key=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )


def downgrade() -> None:
    for name in ("worker_leases", "worker_jobs", "push_outbox", "push_subscriptions",
                 "subscription_consents", "subscription_invites"):
        op.drop_table(name)
