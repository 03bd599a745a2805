"""The ordered registry of what the server derives, by the type of the document it reads.

One entry per deriver (invariants §11: one module per rule); each takes the batch's new live
winners of its type and answers the documents to write. They run in order, inside the write's
transaction, after the batch is stored and projected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from backend import clock
from backend.clinical_config import ilp_config
from backend.followup.derive import encounter_tasks
from backend.followup.tasks import Context
from backend.review import corrections
from backend.review.follow import FOLLOWED, follow


@dataclass(frozen=True)
class Entry:
    source: str                                   # the document type it reads
    derive: Callable[[sa.Connection, dict[str, dict], Context], list[dict]]


DERIVERS: tuple[Entry, ...] = (
    Entry("encounter", encounter_tasks),   # findings -> follow-up tasks (derive.py)
    # a correction the Puskesmas review asked for closes its task (backend/review/corrections.py)
    Entry("encounter", corrections.closed_by_visits),
    Entry("person", corrections.closed_by_person_edits),
    Entry("pregnancy", corrections.closed_by_pregnancy_edits),
    # what a device still records on a merged person -> the survivor (review/follow.py)
    *(Entry(doc_type, follow) for doc_type in FOLLOWED),
)


def derived(conn: sa.Connection, changes: list[tuple[str, dict | None]],
            since: dt.date | None = None, horizon: bool = True,
            records: dict | None = None) -> list[dict]:
    """The documents derived from a batch's new winners (`(id, body or None if deleted)`):
    records dated from `since`, or (`horizon`) from FOLLOWUP_HORIZON_DAYS ago; all with neither.

    The horizon: a tablet that was offline for weeks still brings its findings to the bidan,
    but a backlog of last year's paper records typed in today is history, not a to-do list;
    `flask derive-followup --since` derives older visits on purpose. `records`: persons'
    bodies the write has already read this transaction (Context.records)."""
    if since is None and horizon:
        days = current_app.config["FOLLOWUP_HORIZON_DAYS"]
        since = clock.today() - dt.timedelta(days=days)
    live: dict[str, dict[str, dict]] = {}
    for doc_id, body in changes:
        if body is not None:
            live.setdefault(doc_id.split(":", 1)[0], {})[doc_id] = body
    context = Context(ilp_config(), _now(), since.isoformat() if since else None,
                      records or {})
    out: list[dict] = []
    for entry in DERIVERS:
        if live.get(entry.source):
            out += entry.derive(conn, live[entry.source], context)
    return out


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")
