"""New follow-up tasks, to the staff who act on them: one digest per user and day ("5 tugas
baru") for the tasks created in the 24 hours before the window opened that are still open.

A rule's `follows.place` says whose tasks (docs/push.md, "Staff digests"):
* `pustu` (the default): tasks assigned to a Pustu of the user's area, to `pustu` users; the
  link opens the task when there is one, the task list otherwise;
* `puskesmas`: tasks referred to the Puskesmas (assigned to the Puskesmas place) for one
  cluster, to the `klaster` users of that cluster in whose area the task's desa is; the link
  is the task list (`/#/tasks`), where the cluster's referrals are listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa

from backend.auth.users import User
from backend.projections.tables import places, tasks
from backend.reminders import digest
from backend.reminders.context import Context
from backend.reminders.model import Reminder

PLACES = ("pustu", "puskesmas")
TASKS_URL = "/#/tasks"


def new_tasks(ctx: Context, rule: dict, start: dt.datetime, end: dt.datetime
              ) -> list[tuple[str, str, str | None]]:
    """(task id, desa, cluster) of the open tasks assigned to a place of the rule's kind
    created in [start, end)."""
    # created_at carries the writer's offset, so the string only bounds the search (a day
    # early); the exact comparison is on the parsed instant.
    floor = (start - dt.timedelta(days=1)).date().isoformat()
    rows = ctx.conn.execute(sa.select(
        tasks.c.id, tasks.c.desa, tasks.c.cluster, tasks.c.created_at).join(
        places, places.c.id == tasks.c.assigned_place_id).where(
        places.c.kind == rule["follows"].get("place", "pustu"),
        tasks.c.status.in_(rule["follows"]["statuses"]),
        tasks.c.created_at >= floor)).all()
    out = []
    for row in rows:
        created = digest.parse(row.created_at)
        if created is not None and start <= created < end:
            out.append((row.id, row.desa, row.cluster))
    return sorted(out)


def _mine(rule: dict, user: User, found: list[tuple[str, str, str | None]]) -> list[str]:
    """The tasks of `found` that are `user`'s: in their area, and of their cluster when the
    rule follows the Puskesmas's referrals."""
    by_cluster = rule["follows"].get("place") == "puskesmas"
    return [task_id for task_id, desa, cluster in found
            if desa in user.scopes and (not by_cluster or (cluster and cluster == user.cluster))]


def reminders(ctx: Context, rule: dict) -> Iterator[Reminder]:
    bounds = digest.period(ctx, rule)
    roles = set(rule["follows"].get("roles", []))
    staff = {name: user for name, user in ctx.staff.items()
             if user.role in roles and name in ctx.staff_subscriptions}
    if bounds is None or not staff:
        return
    found = new_tasks(ctx, rule, *bounds)
    one_link = rule["follows"].get("place", "pustu") == "pustu"
    for name, user in sorted(staff.items()):
        mine = _mine(rule, user, found)
        if not mine:
            continue
        url = f"/#/task/{mine[0]}" if one_link and len(mine) == 1 else TASKS_URL
        yield Reminder(rule=rule, subject=name, window=ctx.today.isoformat(),
                       remind_on=ctx.today, last_day=ctx.today,
                       values={"jumlah": str(len(mine))}, url=url, username=name,
                       topic_subject=name)
