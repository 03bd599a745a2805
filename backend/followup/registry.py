"""The ordered registry of what the server derives, by the type of the document it reads.

One entry per deriver (invariants §11: one module per rule); each takes the batch's new live
winners of its type and answers the documents to write. They run in order, inside the write's
transaction, after the batch is stored and projected.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from backend import clock
from backend.clinical_config import ilp_config
from backend.followup.derive import encounter_tasks

Deriver = Callable[[sa.Connection, dict[str, dict], dict, str], list[dict]]
DERIVERS: tuple[tuple[str, Deriver], ...] = (
    ("encounter", encounter_tasks),   # findings -> follow-up tasks (derive.py)
)


def derived(conn: sa.Connection, changes: list[tuple[str, dict | None]]) -> list[dict]:
    """The documents derived from a batch's new winners (`(id, body or None if deleted)`)."""
    live: dict[str, dict[str, dict]] = {}
    for doc_id, body in changes:
        if body is not None:
            live.setdefault(doc_id.split(":", 1)[0], {})[doc_id] = body
    out: list[dict] = []
    for doc_type, deriver in DERIVERS:
        if live.get(doc_type):
            out += deriver(conn, live[doc_type], ilp_config(), _now())
    return out


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")
