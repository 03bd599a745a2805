"""The one write entry point the web layer and CLI use: store + policy + projections, per app."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app

from backend import projections
from backend.auth.users import User
from backend.db import write_transaction
from backend.sync import notify
from backend.sync.policy import ScopedPolicy
from backend.sync.store import StoreOptions, bulk_write


def options() -> StoreOptions:
    cfg = current_app.config
    return StoreOptions(revs_limit=cfg["REVS_LIMIT"],
                        max_attachment_bytes=cfg["MAX_ATTACHMENT_BYTES"])


def write_docs(conn: sa.Connection, docs: Iterable[object], user: User | None,
               new_edits: bool = True) -> list[dict]:
    """Write a batch inside the caller's transaction, as `user` (None: the system)."""
    return bulk_write(conn, docs, new_edits=new_edits, policy=ScopedPolicy(user),
                      options=options(), projector=projections.project)


def save_docs(docs: Iterable[object], user: User | None, new_edits: bool = True) -> list[dict]:
    """Write a batch in its own transaction: all of it lands, or (on a crash) none of it."""
    with write_transaction() as conn:
        results = write_docs(conn, docs, user, new_edits)
    notify.changed()  # committed: wake the longpoll `_changes` requests of this process
    return results
