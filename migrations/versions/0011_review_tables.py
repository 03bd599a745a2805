"""Review of synced records: data-quality flags, duplicate pairs, review state, merges.

`quality_flags` and `duplicate_pairs` are projections, filled by `flask reproject` (or on the
next write of each person); `reviews`, `duplicate_verdicts` and `merges` are review state
(backend/review/tables.py). `persons.merged_into_id` and `tasks.pregnancy_id` follow two new
document fields (person.merged_into, task.pregnancy); `persons.registered_on` and
`pregnancies.registered_on` (the day of `created_at`, the record date the review counts by)
are filled by `flask reproject` like the new projections.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ID = sa.String(length=200)
DESA = sa.String(length=16)


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("merged_into_id", ID))
        batch.create_index("ix_persons_merged_into_id", ["merged_into_id"])
        batch.add_column(sa.Column("registered_on", sa.Date()))
        batch.create_index("ix_persons_desa_registered_on", ["desa", "registered_on"])
    with op.batch_alter_table("pregnancies") as batch:
        batch.add_column(sa.Column("registered_on", sa.Date()))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("pregnancy_id", ID))
    op.create_table(
        "quality_flags",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=60)),
        sa.Column("detail", sa.String(length=300)),
    )
    op.create_index("ix_quality_flags_doc_id", "quality_flags", ["doc_id"])
    op.create_index("ix_quality_flags_person_id", "quality_flags", ["person_id"])
    op.create_index("ix_quality_flags_desa_date", "quality_flags", ["desa", "date"])
    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_a", ID, nullable=False),
        sa.Column("person_b", ID, nullable=False),
        sa.Column("desa_a", DESA, nullable=False),
        sa.Column("desa_b", DESA, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
    )
    op.create_index("ix_duplicate_pairs_person_a", "duplicate_pairs", ["person_a"])
    op.create_index("ix_duplicate_pairs_person_b", "duplicate_pairs", ["person_b"])
    op.create_index("ix_duplicate_pairs_desa_a_date", "duplicate_pairs", ["desa_a", "date"])
    op.create_index("ix_duplicate_pairs_desa_b_date", "duplicate_pairs", ["desa_b", "date"])
    op.create_table(
        "reviews",
        sa.Column("doc_id", ID, primary_key=True),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rev", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.String(length=400)),
        sa.Column("note", sa.String(length=300)),
        sa.Column("task_id", ID),
        sa.Column("reviewed_by", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", sa.String(length=40), nullable=False),
    )
    op.create_index("ix_reviews_person_id", "reviews", ["person_id"])
    op.create_index("ix_reviews_desa_date", "reviews", ["desa", "date"])
    op.create_table(
        "duplicate_verdicts",
        sa.Column("person_a", ID, primary_key=True),
        sa.Column("person_b", ID, primary_key=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.String(length=40), nullable=False),
    )
    op.create_table(
        "merges",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("survivor", ID, nullable=False),
        sa.Column("merged", ID, nullable=False),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("merged_by", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.String(length=40), nullable=False),
        sa.Column("undo_until", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("undone_by", sa.String(length=64)),
        sa.Column("undone_at", sa.String(length=40)),
    )
    op.create_index("ix_merges_survivor", "merges", ["survivor"])
    op.create_index("ix_merges_merged", "merges", ["merged"])


def downgrade() -> None:
    op.drop_table("merges")
    op.drop_table("duplicate_verdicts")
    op.drop_table("reviews")
    op.drop_table("duplicate_pairs")
    op.drop_table("quality_flags")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("pregnancy_id")
    with op.batch_alter_table("pregnancies") as batch:
        batch.drop_column("registered_on")
    with op.batch_alter_table("persons") as batch:
        batch.drop_index("ix_persons_desa_registered_on")
        batch.drop_column("registered_on")
        batch.drop_index("ix_persons_merged_into_id")
        batch.drop_column("merged_into_id")
