"""Archived revisions keep who sent a refused revision and why (refused edits converge).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("archived_revisions") as batch:
        batch.add_column(sa.Column("archived_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("detail", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("archived_revisions") as batch:
        batch.drop_column("detail")
        batch.drop_column("archived_by")
