"""Places project their dusun: the admin's list of Posyandu shows where each one meets.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("places", sa.Column("dusun", sa.String(length=120), nullable=True))
    # The read model is a projection of the documents: fill the column from the winners.
    read = ("json_extract(d.body, '$.dusun')" if op.get_bind().dialect.name == "sqlite"
            else "(d.body::json ->> 'dusun')")
    op.execute(f"UPDATE places SET dusun = (SELECT {read} FROM documents d "
               "WHERE d.id = places.id)")


def downgrade() -> None:
    with op.batch_alter_table("places") as batch:
        batch.drop_column("dusun")
