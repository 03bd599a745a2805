"""`flask --app backend derive-followup [--since DATE]`: derive follow-up tasks from encounters
stored before the server derived them as they landed (docs/followup.md).

Idempotent: the same encounters derive the same task ids, which exist the second time. Runs
oldest visit first, a batch of encounters per transaction, so the first visit that found
something keeps the task, exactly as if the visits had been pushed in that order.
"""

from __future__ import annotations

import datetime as dt

import click
import sqlalchemy as sa

from backend import derivations
from backend.db import write_transaction
from backend.followup.inputs import bodies
from backend.projections.tables import encounters
from backend.sync import notify
from backend.writes import write_derived

BATCH = 500


@click.command("derive-followup")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only encounters dated on or after this day (YYYY-MM-DD).")
def derive_followup_command(since: dt.datetime | None) -> None:
    """Derive follow-up tasks from the stored encounters' findings (safe to run again)."""
    day = since.date() if since else None
    after: tuple[dt.date, str] | None = None
    seen = created = cancelled = 0
    while True:
        with write_transaction() as conn:
            ids = _page(conn, day, after)
            if not ids:
                break
            found = bodies(conn, [doc_id for doc_id, _ in ids])
            docs = derivations.derived(conn, list(found.items()), since=day, horizon=False)
            written = {r["id"] for r in write_derived(conn, docs) if r.get("ok")}
        notify.changed()
        last_id, last_date = ids[-1]
        seen, after = seen + len(ids), (last_date, last_id)
        edits = {doc["_id"] for doc in docs if "_rev" in doc}  # cancellations edit a task
        created += len(written - edits)
        cancelled += len(written & edits)
    click.echo(f"Read {seen} encounters: {created} follow-up tasks created, "
               f"{cancelled} cancelled.")


def _page(conn: sa.Connection, day: dt.date | None, after: tuple[dt.date, str] | None
          ) -> list[tuple[str, dt.date]]:
    """The next encounters by (date, id), oldest first."""
    query = sa.select(encounters.c.id, encounters.c.date)
    if day:
        query = query.where(encounters.c.date >= day)
    if after:
        query = query.where(sa.tuple_(encounters.c.date, encounters.c.id) > sa.tuple_(*after))
    return [tuple(row) for row in
            conn.execute(query.order_by(encounters.c.date, encounters.c.id).limit(BATCH))]
