"""Drop the person_id indexes of the encounter child tables: no query uses them.

Observations, screenings, immunizations, services and diagnoses are reached through their
encounter (encounter_id) or by desa and date (PWS); a person's history goes through
encounters.person_id. Each of these indexes still cost every replicated encounter a random
B-tree insert (measured: ~7% of the server time of a push).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:25:00
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ("observations", "screenings", "immunizations", "services", "diagnoses")


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_person_id", table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_person_id", table, ["person_id"], unique=False)
