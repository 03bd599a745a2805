"""Keep the review projections (`quality_flags`, `duplicate_pairs`) in step with the records.

Like the PWS facts (backend/pws/refresh.py), both rest on a person's whole record, so every
write rebuilds them for each person it touched, in the write's transaction
(`backend.writes.write_docs`); `flask reproject` rebuilds everyone's (`refresh_all`).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from backend.review import duplicates, flags


def refresh_persons(conn: sa.Connection, person_ids: Iterable[str], records: dict) -> None:
    """`records`: the bodies the write already read (backend/pws/refresh.py `Records`)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    flags.refresh(conn, ids, records)
    duplicates.refresh(conn, ids)


def refresh_all(conn: sa.Connection) -> None:
    flags.refresh_all(conn)
    duplicates.refresh_all(conn)
