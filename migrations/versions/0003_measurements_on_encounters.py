"""Measurements become columns of encounters; the observations table goes.

A visit's measurements are a closed set (MeasurementsSchema in backend/documents/schemas.py),
at most one value each. As one `observations` row per value they cost every replicated visit
three or four inserts into a table with two randomly keyed indexes (measured: about a fifth of
the server time of a push), and every PWS query a join. As columns they sit on the encounter
row the query already filters by desa and date.

Existing values are copied across before the table is dropped; downgrade copies them back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

NUMBERS = ("weight_kg", "height_cm", "head_circ_cm", "muac_cm", "waist_cm", "temp_c",
           "glucose_mgdl", "hba1c_pct", "hb_gdl", "cholesterol_mgdl")
INTEGERS = ("sbp", "dbp")
TEXTS = {"length_or_height": 8, "glucose_type": 8}


def _columns() -> list[sa.Column]:
    return ([sa.Column(name, sa.Float(), nullable=True) for name in NUMBERS]
            + [sa.Column(name, sa.Integer(), nullable=True) for name in INTEGERS]
            + [sa.Column(name, sa.String(length=n), nullable=True) for name, n in TEXTS.items()]
            + [sa.Column("oedema", sa.Boolean(), nullable=True)])


def _value(name: str) -> str:
    """The observation's value as the column's type (booleans were stored as 0/1)."""
    if name in TEXTS:
        return "o.text"
    if name in INTEGERS:
        return "CAST(o.value AS INTEGER)"
    if name == "oedema":
        return "o.value <> 0"
    return "o.value"


def upgrade() -> None:
    for column in _columns():
        op.add_column("encounters", column)
    for column in _columns():
        op.execute(f"UPDATE encounters SET {column.name} = (SELECT {_value(column.name)} "
                   f"FROM observations o WHERE o.encounter_id = encounters.id "
                   f"AND o.code = '{column.name}')")
    op.drop_index("ix_observations_desa_date", table_name="observations")
    op.drop_index("ix_observations_encounter_id", table_name="observations")
    op.drop_table("observations")


def downgrade() -> None:
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("encounter_id", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("desa", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sa.String(length=24), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    op.create_index("ix_observations_desa_date", "observations", ["desa", "date"], unique=False)
    op.create_index("ix_observations_encounter_id", "observations", ["encounter_id"],
                    unique=False)
    for column in _columns():
        name = column.name
        value, text = ("NULL", name) if name in TEXTS else (
            f"CASE WHEN {name} THEN 1.0 ELSE 0.0 END" if name == "oedema" else name, "NULL")
        op.execute(f"INSERT INTO observations (encounter_id, person_id, desa, date, code, value, "
                   f"text) SELECT id, person_id, desa, date, '{name}', {value}, {text} "
                   f"FROM encounters WHERE {name} IS NOT NULL")
    with op.batch_alter_table("encounters") as batch:
        for column in _columns():
            batch.drop_column(column.name)
