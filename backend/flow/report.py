"""The day report for Klaster 1 (docs/flow.md "Day report"; issue 15 item 8).

Klaster 1 (Manajemen) watches how the building works: visits per cluster, and per service
point how many were served, how long they waited (the entry created -> its first call) and how
long the service took (started -> ended), as median and 90th percentile, and the no-shows
(skipped and never served) and cancellations; for one day or a whole month with a line per
day. Counts and durations only: no names, no person ids.

`summarise` is a pure function over rows; `load` reads them; `report` checks who asks.

Percentiles: the median is the middle value (the mean of the two middle ones for an even
count); p90 is the nearest-rank 90th percentile, the value at rank ceil(0.9 * n) of the sorted
durations, so it is always a duration somebody really had. Durations are whole seconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from backend.auth.users import User
from backend.flow.access import MANAGERS, staff_cluster
from backend.flow.errors import FlowError
from backend.flow.tables import flow_arrivals, flow_calls, flow_queue_entries, flow_service_points


def median(values: list[float]) -> int | None:
    return round(statistics.median(values)) if values else None


def p90(values: list[float]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1])


def _at(stamp: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def seconds(start: str | None, end: str | None) -> float | None:
    """Seconds from `start` to `end` (ISO stamps), None when either is missing; a clock that
    went backwards counts as 0."""
    if not start or not end:
        return None
    return max(0.0, (_at(end) - _at(start)).total_seconds())


def _times(values: list[float]) -> dict:
    return {"count": len(values), "median_s": median(values), "p90_s": p90(values)}


def summarise(*, period: str, start: str, end: str, points: Iterable[dict],
              arrivals: Iterable[dict], entries: Iterable[dict],
              first_calls: dict[int, str]) -> dict:
    """The report over rows: `points` {id, label, kind, active, sort_order}; `arrivals` {day,
    cluster, payer, new_patient}; `entries` {id, service_point_id, day, status, created_at,
    started_at, ended_at}; `first_calls` {entry id: called_at of its first call}."""
    arrivals, entries = list(arrivals), list(entries)
    by_point: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_point[entry["service_point_id"]].append(entry)
    rows = []
    for point in sorted(points, key=lambda p: (p["sort_order"], p["id"])):
        mine = by_point.get(point["id"], [])
        if not mine and not point["active"]:
            continue
        waits = [w for e in mine
                 if (w := seconds(e["created_at"], first_calls.get(e["id"]))) is not None]
        services = [s for e in mine if (s := seconds(e["started_at"], e["ended_at"])) is not None]
        rows.append({
            "service_point": point["id"], "label": point["label"], "kind": point["kind"],
            "entries": len(mine),
            "served": sum(1 for e in mine if e["started_at"]),
            "waiting": _times(waits), "service": _times(services),
            "skipped": sum(1 for e in mine if e["status"] == "skipped" and not e["started_at"]),
            "cancelled": sum(1 for e in mine if e["status"] == "cancelled"),
            "unserved": sum(1 for e in mine if e["status"] in ("waiting", "called")),
        })
    days: dict[str, dict] = {}
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    for n in range((last - first).days + 1):
        day = (first + dt.timedelta(days=n)).isoformat()
        days[day] = {"day": day, "visits": 0, "served": 0, "skipped": 0, "cancelled": 0}
    for arrival in arrivals:
        days[arrival["day"]]["visits"] += 1
    for entry in entries:
        line = days[entry["day"]]
        line["served"] += bool(entry["started_at"])
        line["skipped"] += entry["status"] == "skipped" and not entry["started_at"]
        line["cancelled"] += entry["status"] == "cancelled"
    return {
        "period": period, "start": start, "end": end,
        "visits": len(arrivals),
        "by_cluster": dict(sorted(Counter(a["cluster"] for a in arrivals).items())),
        "new_patients": sum(1 for a in arrivals if a["new_patient"]),
        "by_payer": dict(sorted(Counter(a["payer"] for a in arrivals).items())),
        "points": rows,
        "days": list(days.values()),
    }


def period_of(day: dt.date | None, month: str | None, today: dt.date) -> tuple[str, str, str]:
    """("day"|"month", first day, last day) of what was asked; 422 for both at once."""
    if day is not None and month is not None:
        raise FlowError(422, "Pilih satu hari atau satu bulan, tidak keduanya.", "bad_period")
    if month is not None:
        year, number = int(month[:4]), int(month[5:7])
        last = calendar.monthrange(year, number)[1]
        return "month", f"{month}-01", f"{month}-{last:02d}"
    chosen = (day or today).isoformat()
    return "day", chosen, chosen


def load(conn: sa.Connection, start: str, end: str) -> dict:
    """The rows `summarise` needs for the days `start`..`end`."""
    points = [{**row, "clusters": json.loads(row["clusters"])} for row in conn.execute(
        sa.select(flow_service_points)).mappings()]
    arrivals = [dict(row) for row in conn.execute(
        sa.select(flow_arrivals.c.day, flow_arrivals.c.cluster, flow_arrivals.c.payer,
                  flow_arrivals.c.new_patient)
        .where(flow_arrivals.c.day.between(start, end))).mappings()]
    e = flow_queue_entries
    entries = [dict(row) for row in conn.execute(
        sa.select(e.c.id, e.c.service_point_id, e.c.day, e.c.status, e.c.created_at,
                  e.c.started_at, e.c.ended_at)
        .where(e.c.day.between(start, end))).mappings()]
    first_calls = dict(conn.execute(
        sa.select(flow_calls.c.entry_id, sa.func.min(flow_calls.c.called_at))
        .where(flow_calls.c.day.between(start, end)).group_by(flow_calls.c.entry_id)).all())
    return {"points": points, "arrivals": arrivals, "entries": entries,
            "first_calls": first_calls}


def may_read(conn: sa.Connection, user: User) -> bool:
    """The Kepala Puskesmas, an admin, and Klaster 1 (Manajemen) staff."""
    return user.role in MANAGERS or (user.role == "klaster" and staff_cluster(conn, user) == "1")


def report(conn: sa.Connection, user: User, *, day: dt.date | None, month: str | None,
           today: dt.date) -> dict:
    if not may_read(conn, user):
        raise FlowError(403, "Laporan layanan hanya untuk Klaster 1, Kepala Puskesmas dan admin.",
                        "not_klaster_1")
    period, start, end = period_of(day, month, today)
    return summarise(period=period, start=start, end=end, **load(conn, start, end))
