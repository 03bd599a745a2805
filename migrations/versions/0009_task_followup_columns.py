"""Tasks project their follow-up fields: origin, rule, cluster, urgent, outcome_code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# task column -> document field
FIELDS = {"origin_id": "origin", "rule": "rule", "cluster": "cluster", "urgent": "urgent",
          "outcome_code": "outcome_code"}


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("origin_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("rule", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("cluster", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("urgent", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("outcome_code", sa.String(length=16), nullable=True))
    op.create_index("ix_tasks_origin_id", "tasks", ["origin_id"])
    # The read model is a projection of the documents: fill the columns from the winners.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, name in FIELDS.items():
        read = f"json_extract(d.body, '$.{name}')" if sqlite else f"(d.body::json ->> '{name}')"
        if column == "urgent" and not sqlite:
            read = f"{read}::boolean"
        op.execute(f"UPDATE tasks SET {column} = (SELECT {read} FROM documents d "
                   "WHERE d.id = tasks.id)")


def downgrade() -> None:
    op.drop_index("ix_tasks_origin_id", table_name="tasks")
    with op.batch_alter_table("tasks") as batch:
        for column in reversed(FIELDS):
            batch.drop_column(column)
