"""Who may act at which service point (docs/flow.md "Roles").

* `kapus` and `admin` see and act at every service point; they manage the organisation, the
  service points, the duty roster and the waiting-room displays.
* `klaster` staff act at the points that serve their cluster (the Kepala Puskesmas's assignment,
  else the cluster of their account) and at any point where they are on duty that day: staff of
  another cluster covering a queue ("Dalam hal keterbatasan SDM...", seed 000). The loket is a
  Klaster 1 point, so registration is Klaster 1's work.
* Every other role (kader, pustu, dinkes, fktp) has no part in the flow.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from backend.auth.users import User
from backend.flow.errors import FlowError
from backend.flow.tables import flow_duty, flow_service_points, flow_staff_assignments

FLOW_ROLES = ("klaster", "kapus", "admin")
MANAGERS = ("kapus", "admin")


def point(conn: sa.Connection, point_id: str) -> dict | None:
    """A service point as a dict (`clusters` decoded), or None."""
    row = conn.execute(sa.select(flow_service_points)
                       .where(flow_service_points.c.id == point_id)).mappings().first()
    return None if row is None else {**row, "clusters": json.loads(row["clusters"])}


def staff_cluster(conn: sa.Connection, user: User) -> str | None:
    """The cluster the Kepala Puskesmas assigned, else the account's cluster."""
    assigned = conn.execute(sa.select(flow_staff_assignments.c.cluster)
                            .where(flow_staff_assignments.c.username == user.username)).scalar()
    return assigned or user.cluster


def points_for(conn: sa.Connection, user: User, day: str) -> set[str]:
    """The ids of the active service points `user` may act at on `day`."""
    if user.role not in FLOW_ROLES:
        return set()
    rows = conn.execute(sa.select(flow_service_points.c.id, flow_service_points.c.clusters)
                        .where(flow_service_points.c.active.is_(True))).all()
    if user.role in MANAGERS:
        return {row.id for row in rows}
    cluster = staff_cluster(conn, user)
    on_duty = set(conn.execute(sa.select(flow_duty.c.service_point_id).where(
        flow_duty.c.day == day, flow_duty.c.username == user.username)).scalars())
    return {row.id for row in rows if cluster in json.loads(row.clusters) or row.id in on_duty}


def require_point(conn: sa.Connection, user: User, point_id: str, day: str) -> dict:
    """The service point `user` wants to act at: 404 if this Puskesmas has no such (active)
    point, 403 if it is not theirs today."""
    found = point(conn, point_id)
    if found is None or not found["active"]:
        raise FlowError(404, "Tempat layanan tidak ditemukan di Puskesmas ini.", "no_such_point")
    if point_id not in points_for(conn, user, day):
        raise FlowError(403, "Anda tidak bertugas di tempat layanan ini hari ini.",
                        "not_your_point")
    return found
