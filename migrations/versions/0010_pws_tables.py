"""PWS: the person-level facts it counts (growth_points, pws_events) and the official sasaran.

The two projections are filled from the documents by `flask reproject` (or on the next write
of each person); a fresh database starts empty.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

ID = sa.String(length=200)
DESA = sa.String(length=16)


def upgrade() -> None:
    op.create_table(
        "growth_points",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("encounter_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=16), nullable=False),
        sa.Column("age_days", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("weight_kg", sa.Float()),
        sa.Column("height_cm", sa.Float()),
        sa.Column("waz", sa.Float()),
        sa.Column("haz", sa.Float()),
        sa.Column("whz", sa.Float()),
        sa.Column("bbu", sa.String(length=24)),
        sa.Column("tbu", sa.String(length=24)),
        sa.Column("bbtb", sa.String(length=24)),
        sa.Column("trend", sa.String(length=32)),
        sa.Column("two_t", sa.Boolean()),
    )
    op.create_index("ix_growth_points_person_id", "growth_points", ["person_id"])
    op.create_index("ix_growth_points_desa_date", "growth_points", ["desa", "date"])
    op.create_table(
        "pws_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("desa", DESA, nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=16)),
        sa.Column("ref_id", ID),
        sa.Column("value", sa.String(length=32)),
    )
    op.create_index("ix_pws_events_person_id", "pws_events", ["person_id"])
    op.create_index("ix_pws_events_desa_event_date", "pws_events", ["desa", "event", "date"])
    op.create_table(
        "sasaran",
        sa.Column("desa", DESA, primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("target_group", sa.String(length=24), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.Column("source_file", sa.String(length=200)),
    )


def downgrade() -> None:
    op.drop_table("sasaran")
    op.drop_index("ix_pws_events_desa_event_date", table_name="pws_events")
    op.drop_index("ix_pws_events_person_id", table_name="pws_events")
    op.drop_table("pws_events")
    op.drop_index("ix_growth_points_desa_date", table_name="growth_points")
    op.drop_index("ix_growth_points_person_id", table_name="growth_points")
    op.drop_table("growth_points")
