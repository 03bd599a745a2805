"""New follow-up tasks, to the staff of the Pustu they are assigned to: one digest per user and
day ("5 tugas baru") for the tasks created in the 24 hours before the window opened that are
assigned to a Pustu of the user's area and are still open. The link opens the task when there
is one, the task list otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa

from backend.projections.tables import places, tasks
from backend.reminders import digest
from backend.reminders.context import Context
from backend.reminders.model import Reminder


def new_tasks(ctx: Context, rule: dict, start: dt.datetime, end: dt.datetime
              ) -> list[tuple[str, str]]:
    """(task id, desa) of the open tasks assigned to a Pustu created in [start, end)."""
    # created_at carries the writer's offset, so the string only bounds the search (a day
    # early); the exact comparison is on the parsed instant.
    floor = (start - dt.timedelta(days=1)).date().isoformat()
    rows = ctx.conn.execute(sa.select(tasks.c.id, tasks.c.desa, tasks.c.created_at).join(
        places, places.c.id == tasks.c.assigned_place_id).where(
        places.c.kind == "pustu", tasks.c.status.in_(rule["follows"]["statuses"]),
        tasks.c.created_at >= floor)).all()
    out = []
    for row in rows:
        created = digest.parse(row.created_at)
        if created is not None and start <= created < end:
            out.append((row.id, row.desa))
    return sorted(out)


def reminders(ctx: Context, rule: dict) -> Iterator[Reminder]:
    roles = set(rule["follows"].get("roles", []))
    staff = {name: user for name, user in ctx.staff.items()
             if user.role in roles and name in ctx.staff_subscriptions}
    bounds = digest.period(ctx) if staff else None
    if bounds is None:
        return
    found = new_tasks(ctx, rule, *bounds)
    for name, user in sorted(staff.items()):
        mine = [task_id for task_id, desa in found if desa in user.scopes]
        if not mine:
            continue
        url = f"/#/task/{mine[0]}" if len(mine) == 1 else "/#/tasks"
        yield Reminder(rule=rule, subject=name, window=ctx.today.isoformat(),
                       remind_on=ctx.today, last_day=ctx.today,
                       values={"jumlah": str(len(mine))}, url=url, username=name,
                       topic_subject=name)
