"""Today's duty: who serves at which service point on a day (docs/flow.md "Organisation and
duty").

A point with nobody on duty is *uncovered*. Juknis ILP (Kepmenkes HK.01.07/MENKES/2015/2023,
after Tabel 1): "Dalam hal keterbatasan SDM, pelayanan dapat diberikan oleh petugas dari klaster
lainnya yang memiliki kompetensi dan kewenangan yang sesuai" — so for every point the roster
names who *can cover*: active staff not on duty there whose assigned competencies include one the
point needs (organisation.json "cover"), those free that day first, then those on duty
elsewhere. The Kepala Puskesmas (or admin) sets any point's duty; the PJ of a cluster sets the
duty of the points that serve their cluster. Setting duty makes the person able to act at that
point that day (backend/flow/access.points_for).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend import audit, clock
from backend.auth.tables import users
from backend.auth.users import User
from backend.flow.access import MANAGERS
from backend.flow.errors import FlowError
from backend.flow.organisation import (
    STAFF_ROLES,
    assignment,
    needed_competencies,
    point_json,
    service_points,
    staff,
)
from backend.flow.tables import flow_duty, flow_service_points

MAX_PER_POINT = 20


def parse_day(value: str | None) -> str:
    """An ISO day (YYYY-MM-DD), or today at the Puskesmas when None; 422 `invalid_day`."""
    if value is None:
        return clock.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise FlowError(422, "Tanggal harus berbentuk TTTT-BB-HH.", "invalid_day") from None


def _on_duty(conn: sa.Connection, day: str) -> dict[str, list[str]]:
    """point id -> usernames on duty there on `day`."""
    rows = conn.execute(sa.select(flow_duty.c.service_point_id, flow_duty.c.username)
                        .where(flow_duty.c.day == day)
                        .order_by(flow_duty.c.created_at, flow_duty.c.username)).all()
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.service_point_id, []).append(row.username)
    return found


def roster(conn: sa.Connection, day: str, config: dict) -> dict:
    """Every active point of `day` with its staff on duty, whether it is uncovered and who can
    cover it."""
    members = {member["username"]: member for member in staff(conn)}
    duty = _on_duty(conn, day)
    where: dict[str, list[str]] = {}
    for point_id, names in duty.items():
        for name in names:
            where.setdefault(name, []).append(point_id)

    def person(name: str) -> dict:
        member = members.get(name)
        return {"username": name,
                "display_name": member["display_name"] if member else name,
                "cluster": member["cluster"] if member else None,
                "competencies": member["competencies"] if member else []}

    points = []
    for point in service_points(conn, active_only=True):
        here = duty.get(point["id"], [])
        needs = needed_competencies(config, point)
        able = [member for member in members.values()
                if member["username"] not in here and member["assigned"]
                and needs & set(member["competencies"])]
        # Free that day before those serving elsewhere; by name within each.
        able.sort(key=lambda m: (bool(where.get(m["username"])), m["display_name"]))
        points.append({
            "service_point": point,
            "staff": [person(name) for name in here],
            "uncovered": not here,
            "needs": sorted(needs),
            "can_cover": [{**person(m["username"]), "on_duty_at": where.get(m["username"], [])}
                          for m in able],
        })
    return {"day": day, "points": points}


def may_set(conn: sa.Connection, user: User, point: dict) -> bool:
    """Kapus and admin for every point; a PJ for the points that serve their cluster."""
    if user.role in MANAGERS:
        return True
    if user.role != "klaster":
        return False
    mine = assignment(conn, user.username)
    return mine is not None and mine["position"] == "pj" and mine["cluster"] in point["clusters"]


def set_duty(conn: sa.Connection, actor: User, day: str, point_id: str,
             usernames: list[str], config: dict) -> dict:
    """Replace who is on duty at `point_id` on `day` (an empty list leaves it uncovered).
    Refuses a past day (422 `day_past`: the day's record stays as it was), an unknown or closed
    point (404), a caller who is neither manager nor the PJ of a cluster it serves (403
    `not_your_cluster`), and anyone who is not active Puskesmas staff (422 `unknown_staff`)."""
    day = parse_day(day)
    if day < clock.today().isoformat():
        raise FlowError(422, "Jadwal tugas hari yang sudah lewat tidak dapat diubah.",
                        "day_past")
    row = conn.execute(sa.select(flow_service_points)
                       .where(flow_service_points.c.id == point_id)).mappings().first()
    if row is None or not row["active"]:
        raise FlowError(404, "Tempat layanan tidak ditemukan di Puskesmas ini.", "no_such_point")
    point = point_json(row)
    if not may_set(conn, actor, point):
        raise FlowError(403, "Hanya Kepala Puskesmas atau PJ klaster tempat layanan ini yang "
                             "dapat mengatur petugasnya.", "not_your_cluster")
    if len(set(usernames)) != len(usernames) or len(usernames) > MAX_PER_POINT:
        raise FlowError(422, "Setiap petugas dicantumkan sekali saja.", "invalid_staff")
    known = set(conn.execute(sa.select(users.c.username).where(
        users.c.username.in_(usernames), users.c.active.is_(True),
        users.c.role.in_(STAFF_ROLES))).scalars())
    unknown = [name for name in usernames if name not in known]
    if unknown:
        raise FlowError(422, f"Bukan petugas Puskesmas yang aktif: {', '.join(unknown)}.",
                        "unknown_staff")
    before = _on_duty(conn, day).get(point_id, [])
    if sorted(before) != sorted(usernames):
        conn.execute(sa.delete(flow_duty).where(flow_duty.c.day == day,
                                                flow_duty.c.service_point_id == point_id,
                                                flow_duty.c.username.notin_(usernames)))
        stamp = clock.utc_stamp()
        added = [name for name in usernames if name not in before]
        if added:
            conn.execute(sa.insert(flow_duty), [
                {"day": day, "service_point_id": point_id, "username": name,
                 "created_at": stamp, "created_by": actor.username} for name in added])
        audit.record(conn, actor=actor, action="flow.duty", target_type="service_point",
                     target_id=point_id,
                     detail={"day": day, "before": sorted(before), "after": sorted(usernames)})
    return next(entry for entry in roster(conn, day, config)["points"]
                if entry["service_point"]["id"] == point_id)

