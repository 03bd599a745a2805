"""A Puskesmas's rooms and staff for the flow tests: service points as a small Puskesmas sets
them up, and staff of each cluster on top of tests/factories' world (two desa, a user of every
role). Test data, not config: the demo and a real Puskesmas take theirs from
config/ilp/organisation.json and the Kepala Puskesmas's screens."""

from __future__ import annotations

import json

import sqlalchemy as sa

from backend.auth.users import create_user
from backend.flow.tables import flow_service_points
from tests import factories

# id, label, kind, clusters, ticket prefix
POINTS = (
    ("loket", "Loket Pendaftaran", "registration", ["1"], "A"),
    ("k2", "Ruang Klaster 2 (Ibu dan Anak)", "cluster", ["2"], "B"),
    ("k3", "Ruang Klaster 3 (Dewasa dan Lansia)", "cluster", ["3"], "C"),
    ("k4", "Ruang Klaster 4 (Penyakit Menular)", "cluster", ["4"], "D"),
    ("ugd", "Ruang Gawat Darurat", "emergency", ["lintas"], "E"),
    ("lab", "Laboratorium", "lab", ["lintas"], "L"),
    ("farmasi", "Ruang Farmasi", "pharmacy", ["lintas"], "F"),
)

# username: cluster (all role klaster, whole Puskesmas)
STAFF = {"loket1": "1", "bidan2": "2", "dokter3": "3", "perawat4": "4", "analis": "lintas",
         "apoteker": "lintas"}

STAMP = "2026-11-30T00:00:00Z"


def add_points(conn: sa.Connection, points=POINTS) -> None:
    conn.execute(sa.insert(flow_service_points), [
        {"id": pid, "label": label, "kind": kind, "clusters": json.dumps(clusters),
         "ticket_prefix": prefix, "active": True, "sort_order": order, "updated_at": STAMP,
         "updated_by": "admin"}
        for order, (pid, label, kind, clusters, prefix) in
        ((POINTS.index(point) if point in POINTS else n, point) for n, point in enumerate(points))])


def add_staff(conn: sa.Connection) -> dict[str, int]:
    return {username: create_user(conn, username=username, password=factories.PASSWORD,
                                  role="klaster", display_name=username.title(),
                                  cluster=cluster,
                                  scopes=[factories.DESA_A, factories.DESA_B]).id
            for username, cluster in STAFF.items()}
