"""A user's area can be the whole Puskesmas: every desa it has, including desa added later.

Puskesmas-wide users (klaster, kapus, admin, dinkes) used to get one `user_scopes` row per
desa, so a desa added afterwards was missing from their PWS and lists until someone noticed,
and `create-user --role admin` without `--desa` made an admin who saw nothing. Existing
Puskesmas-wide users whose rows cover every current desa, or who have none, are converted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The Puskesmas-wide roles of backend/auth/roles.py when this migration was written.
_WIDE = "('klaster', 'kapus', 'admin', 'dinkes')"
_DESA = "SELECT code FROM places WHERE kind = 'desa' AND code IS NOT NULL"


def upgrade() -> None:
    # A plain ADD/DROP COLUMN, never a batch (copy-and-rename) on SQLite: dropping the old
    # `users` table would cascade to every user_scopes row.
    op.add_column("users", sa.Column("whole_puskesmas", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.execute(
        f"UPDATE users SET whole_puskesmas = TRUE WHERE role IN {_WIDE} AND ("
        "NOT EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = users.id) OR "
        f"NOT EXISTS (SELECT 1 FROM ({_DESA}) d WHERE d.code NOT IN "
        "(SELECT s.desa FROM user_scopes s WHERE s.user_id = users.id)))")
    op.execute("DELETE FROM user_scopes WHERE user_id IN "
               "(SELECT id FROM users WHERE whole_puskesmas)")


def downgrade() -> None:
    op.execute(f"INSERT INTO user_scopes (user_id, desa) SELECT u.id, d.code FROM users u, "
               f"({_DESA}) d WHERE u.whole_puskesmas")
    op.drop_column("users", "whole_puskesmas")
