"""The one write entry point of the running app: the document store bound to the write policy,
the app's store options and the read-model projector.

It lives above both `backend.sync` (the store) and `backend.projections` (the read model), so
neither package imports the other: every writer — the /sync endpoints, REST, the CLI, the demo
seed, the conflict resolver — comes through here. So does what the server derives from the
written documents (`backend.derivations`): follow-up tasks from a visit's findings are written
in the visit's transaction, through the same store, as the system.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app

from backend import derivations, projections
from backend.auth.users import User
from backend.db import write_transaction
from backend.projections.projectors import PROJECTORS
from backend.pws import refresh as pws_facts
from backend.review import follow
from backend.review import refresh as review
from backend.sync import notify
from backend.sync.policy import ScopedPolicy
from backend.sync.store import StoreOptions, bulk_write
from backend.sync.tables import documents


def options() -> StoreOptions:
    cfg = current_app.config
    return StoreOptions(revs_limit=cfg["REVS_LIMIT"],
                        max_attachment_bytes=cfg["MAX_ATTACHMENT_BYTES"])


log = logging.getLogger(__name__)


def write_docs(conn: sa.Connection, docs: Iterable[object], user: User | None,
               new_edits: bool = True) -> list[dict]:
    """Write a batch inside the caller's transaction, as `user` (None: the system), then what
    the server derives from its new winners (docs/followup.md). The results are the batch's."""
    landed: list[tuple[str, dict | None]] = []
    persons: set[str] = set()   # whose PWS facts the batch changes (backend/pws/refresh.py)

    def project(conn: sa.Connection, changes: list[tuple[str, dict | None]],
                new_ids: set[str]) -> None:
        persons.update(pws_facts.persons_before(conn, changes, new_ids))
        projections.project(conn, changes, new_ids)
        landed.extend(changes)

    results = bulk_write(conn, docs, new_edits=new_edits, policy=ScopedPolicy(user),
                         options=options(), projector=project)
    # The bodies the facts read are the ones follow-up derivation reads: read once per write.
    records = pws_facts.Records()
    touched = persons | pws_facts.persons_of(landed)
    pws_facts.refresh_persons(conn, touched, records=records)
    # Data-quality flags of every touched person; duplicate pairs of changed identities.
    review.refresh_persons(conn, touched, records, review.identities(conn, landed))
    write_derived(conn, derivations.derived(conn, landed, records=records))
    return results


def write_derived(conn: sa.Connection, docs: list[dict]) -> list[dict]:
    """Write what the server derived, as the system; derived documents do not derive further.
    One the store refuses (a reference broken by an odd history) is logged and left out: it
    never refuses the batch it came from.

    A derived document naming a merged person names its survivor instead (review/follow.py).
    When derived documents move records between persons (a visit recorded on a merged
    duplicate, re-pointed), both persons' PWS facts and review rows are rebuilt; a derived
    task touches no person's facts, so follow-up derivation costs nothing more."""
    if not docs:
        return []
    docs = follow.redirect(conn, docs)
    touched: set[str] = set()
    landed: list[tuple[str, dict | None]] = []

    def project(conn: sa.Connection, changes: list[tuple[str, dict | None]],
                new_ids: set[str]) -> None:
        touched.update(pws_facts.persons_before(conn, changes, new_ids))
        projections.project(conn, changes, new_ids)
        touched.update(pws_facts.persons_of(changes))
        landed.extend(changes)

    results = bulk_write(conn, docs, new_edits=True, policy=ScopedPolicy(None),
                         options=options(), projector=project)
    for result in results:
        if "error" in result:
            log.warning("derived %s not written: %s: %s", result.get("id"), result["error"],
                        result["reason"])
    if touched:
        records = pws_facts.Records()
        pws_facts.refresh_persons(conn, touched, records=records)
        review.refresh_persons(conn, touched, records, review.identities(conn, landed))
    return results


def save_docs(docs: Iterable[object], user: User | None, new_edits: bool = True) -> list[dict]:
    """Write a batch in its own transaction: all of it lands, or (on a crash) none of it."""
    with write_transaction() as conn:
        results = write_docs(conn, docs, user, new_edits)
    notify.changed()  # committed: wake the longpoll `_changes` requests of this process
    return results


def rebuild_projections(conn: sa.Connection, batch_size: int = 1000) -> int:
    """Empty the read model and project every live winner again; returns documents projected."""
    projections.clear(conn)
    query = (sa.select(documents.c.id, documents.c.body)
             .where(documents.c.deleted.is_(False))
             .where(documents.c.type.in_(list(PROJECTORS)))
             .order_by(documents.c.seq))
    count = 0
    batch: list[tuple[str, dict | None]] = []
    for row in conn.execute(query):
        batch.append((row.id, json.loads(row.body)))
        if len(batch) >= batch_size:
            projections.project_new(conn, batch)
            count, batch = count + len(batch), []
    projections.project_new(conn, batch)
    pws_facts.refresh_all(conn)   # the facts PWS counts rest on whole records: after them all
    review.refresh_all(conn)      # so do the review's flags and duplicate pairs
    return count + len(batch)
