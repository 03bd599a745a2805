"""A person's clinical record as documents: the input of the clinical evaluator.

The read model finds the ids (indexed by person); the bodies come from the store's winning
revisions, so the evaluator sees exactly what replicated to the devices.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.projections.tables import encounters, pregnancies
from backend.sync import reads


def person_history(conn: sa.Connection, person_id: str) -> list[dict]:
    """Every encounter and pregnancy document of the person (winning revisions)."""
    ids = conn.execute(
        sa.union_all(sa.select(encounters.c.id).where(encounters.c.person_id == person_id),
                     sa.select(pregnancies.c.id).where(pregnancies.c.person_id == person_id))
    ).scalars().all()
    rows = reads.load_rows(conn, ids)
    bodies = reads.load_bodies(conn, [(row.id, row.winner) for row in rows.values()])
    return [{"_id": doc_id, **body} for (doc_id, _), body in sorted(bodies.items())]


def without_ids(value, hidden: set[str]):
    """`value` (a derived answer: lists, dicts, strings) with every string naming a document of
    `hidden` replaced by None: derived facts may come from documents the reader may not open,
    but their ids must not tell that those documents exist."""
    if isinstance(value, dict):
        return {key: without_ids(item, hidden) for key, item in value.items()}
    if isinstance(value, list):
        return [without_ids(item, hidden) for item in value]
    return None if isinstance(value, str) and value in hidden else value
