"""The official targets (sasaran) per desa, year and target group, imported from CSV.

Not a projection: the Dinas Kesehatan's estimates are facts of their own, replaced group by
group when a kapus or admin imports a new file (backend/pws/sasaran.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

sasaran = sa.Table(
    "sasaran", metadata,
    sa.Column("desa", sa.String(16), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("target_group", sa.String(24), primary_key=True),   # pws.json "groups" key
    sa.Column("value", sa.Integer, nullable=False),               # persons
    sa.Column("imported_at", sa.String(40), nullable=False),
    sa.Column("imported_by", sa.String(120), nullable=False),
    sa.Column("source_file", sa.String(200)),
)
