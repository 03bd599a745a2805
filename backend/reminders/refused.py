"""Documents the server refused from a user (backend/sync: `archived_revisions` with reason
`refused_<code>` and the sender in `archived_by`): one digest per user and day for those
refused in the 24 hours before the window opened, linking to the sync screen where they are
listed and corrected."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import sqlalchemy as sa

from backend.reminders import digest
from backend.reminders.context import Context
from backend.reminders.model import Reminder
from backend.sync.converge import ARCHIVE_PREFIX
from backend.sync.tables import archived_revisions

SYNC_URL = "/#/sync"


def reminders(ctx: Context, rule: dict) -> Iterator[Reminder]:
    bounds = digest.period(ctx, rule)
    names = sorted(ctx.staff_subscriptions)
    if bounds is None or not names:
        return
    # In UTC: SQLite stores `archived_at` as UTC wall time without its offset and compares
    # text, so a local (+07:00) bound would shift the period by the zone's offset.
    start, end = (moment.astimezone(dt.UTC) for moment in bounds)
    counts: Counter[str] = Counter()
    for chunk in range(0, len(names), 500):
        counts.update(dict(ctx.conn.execute(sa.select(
            archived_revisions.c.archived_by, sa.func.count()).where(
            archived_revisions.c.reason.startswith(ARCHIVE_PREFIX, autoescape=True),
            archived_revisions.c.archived_by.in_(names[chunk:chunk + 500]),
            archived_revisions.c.archived_at >= start, archived_revisions.c.archived_at < end,
        ).group_by(archived_revisions.c.archived_by)).all()))
    for name in names:
        if counts[name]:
            yield Reminder(rule=rule, subject=name, window=ctx.today.isoformat(),
                           remind_on=ctx.today, last_day=ctx.today,
                           values={"jumlah": str(counts[name])}, url=SYNC_URL, username=name,
                           topic_subject=name)
