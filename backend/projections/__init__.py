"""Keep the read model in step with the winning revisions.

This package knows the read model only; rebuilding it from the document store is
`backend.writes.rebuild_projections`: the documents live in `backend.sync`, which this package
does not import (nor does `backend.sync` import it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa

from backend.db import insert_rows
from backend.projections.projectors import OWNED, PROJECTORS
from backend.projections.tables import READ_MODEL


def project(conn: sa.Connection, changes: list[tuple[str, dict | None]],
            new_ids: Collection[str] = ()) -> None:
    """Replace the rows of each changed document by the rows of its new winner (None: deleted).
    `new_ids` have never been projected, so there are no rows of theirs to delete: a replicated
    batch of new documents costs inserts only."""
    by_type: dict[str, list[tuple[str, dict | None]]] = defaultdict(list)
    for doc_id, body in changes:
        by_type[doc_id.split(":", 1)[0]].append((doc_id, body))
    for doc_type, items in by_type.items():
        if doc_type not in PROJECTORS:
            continue
        ids = [doc_id for doc_id, _ in items if doc_id not in new_ids]
        for table, key in OWNED[doc_type] if ids else ():
            for start in range(0, len(ids), 500):
                conn.execute(table.delete().where(key.in_(ids[start:start + 500])))
        rows: dict[sa.Table, list[dict]] = defaultdict(list)
        for doc_id, body in items:
            if body is not None:
                for table, table_rows in PROJECTORS[doc_type](doc_id, body).items():
                    rows[table].extend(table_rows)
        for table, table_rows in rows.items():
            insert_rows(conn, table, table_rows)


def clear(conn: sa.Connection) -> None:
    """Empty every read-model table (before a rebuild from the documents)."""
    for table in reversed(READ_MODEL):
        conn.execute(table.delete())


def project_new(conn: sa.Connection, batch: list[tuple[str, dict | None]]) -> None:
    """Project documents the read model has never seen (after `clear`): inserts only."""
    project(conn, batch, new_ids={doc_id for doc_id, _ in batch})
