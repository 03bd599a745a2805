"""The Puskesmas's organisation as the Kepala Puskesmas sets it (docs/flow.md "Organisation and
duty"): each staff member in one cluster as PJ or anggota with their competencies, and the
service points (rooms, desks) of each cluster.

The clusters, their scope and competencies are data, `config/ilp/organisation.json` (Juknis ILP,
Kepmenkes HK.01.07/MENKES/2015/2023, Tabel 1). Functions take a connection and the loaded ILP
config (`config["organisation"]` is that file); bad input raises FlowError (422 invalid, 404
unknown, 409 conflict) before anything is written, and every change leaves an audit row in the
same transaction.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from backend import audit, clock
from backend.auth.tables import users
from backend.auth.users import User
from backend.documents.vocabulary import CLUSTERS
from backend.flow.errors import FlowError
from backend.flow.tables import flow_queue_entries, flow_service_points, flow_staff_assignments
from backend.flow.vocabulary import ACTIVE_STATUSES, POINT_KINDS, POSITIONS, TICKET_PREFIX

# Roles that work inside the Puskesmas and so have a place in its organisation.
STAFF_ROLES = ("klaster", "kapus")
POINT_ID = r"^[a-z0-9][a-z0-9-]{0,39}$"

# A point's kind fixes the clusters it may serve: the loket is Klaster 1's work, lab, pharmacy
# and emergency are Lintas Klaster (Juknis ILP Tabel 1, "Lingkup Pelayanan/Kegiatan"); a room
# of kind "cluster" serves one or more of the life-cycle and communicable-disease clusters
# (a small Puskesmas may share one room between them, "Alur Pelayanan").
KIND_CLUSTERS = {"registration": {"1"}, "lab": {"lintas"}, "pharmacy": {"lintas"},
                 "emergency": {"lintas"}, "cluster": {"2", "3", "4"}}


def _who(actor: User | None) -> str:
    """The `updated_by` of a change; None is the system (the demo seed, a CLI)."""
    return actor.username if actor is not None else "system"


def _invalid(message: str, code: str = "invalid") -> FlowError:
    return FlowError(422, message, code)


# -- the clusters (config) --------------------------------------------------------------------

def clusters(config: dict) -> list[dict]:
    """The five clusters as the API shows them: code, label, scope, competencies, PJ and source."""
    return [{key: cluster[key] for key in ("code", "label", "short", "scope", "competencies",
                                           "pj", "source") if key in cluster}
            for cluster in config["organisation"]["clusters"]]


def competency_labels(config: dict) -> dict[str, str]:
    """Every known competency code with its label (a code shared by clusters is one skill)."""
    return {item["code"]: item["label"] for cluster in config["organisation"]["clusters"]
            for item in cluster["competencies"]}


def needed_competencies(config: dict, point: dict) -> set[str]:
    """The competencies of which a member of staff must hold one to serve `point`: by kind for
    the loket, lab, pharmacy and emergency, by the clusters served for a cluster room."""
    cover = config["organisation"]["cover"]
    if point["kind"] != "cluster":
        return set(cover["needs_by_kind"].get(point["kind"], ()))
    return {code for cluster in point["clusters"]
            for code in cover["needs_by_cluster"].get(cluster, ())}


# -- staff ------------------------------------------------------------------------------------

def staff(conn: sa.Connection) -> list[dict]:
    """Active Puskesmas staff (klaster and kapus accounts) with their assignment; someone not
    yet assigned shows the cluster of their account, no position and no competencies."""
    rows = conn.execute(
        sa.select(users.c.username, users.c.display_name, users.c.role,
                  users.c.cluster.label("account_cluster"), flow_staff_assignments.c.cluster,
                  flow_staff_assignments.c.position, flow_staff_assignments.c.competencies)
        .select_from(users.outerjoin(flow_staff_assignments,
                                     flow_staff_assignments.c.username == users.c.username))
        .where(users.c.active.is_(True), users.c.role.in_(STAFF_ROLES))
        .order_by(users.c.display_name, users.c.username)).all()
    return [{"username": row.username, "display_name": row.display_name, "role": row.role,
             "cluster": row.cluster or row.account_cluster, "position": row.position,
             "competencies": json.loads(row.competencies) if row.competencies else [],
             "assigned": row.position is not None}
            for row in rows]


def _staff_user(conn: sa.Connection, username: str) -> sa.Row:
    row = conn.execute(sa.select(users.c.id, users.c.username, users.c.role, users.c.active)
                       .where(users.c.username == username)).first()
    if row is None or not row.active or row.role not in STAFF_ROLES:
        raise FlowError(404, "Petugas tidak ditemukan di antara petugas Puskesmas yang aktif.",
                        "no_such_staff")
    return row


def assignment(conn: sa.Connection, username: str) -> dict | None:
    row = conn.execute(sa.select(flow_staff_assignments)
                       .where(flow_staff_assignments.c.username == username)).mappings().first()
    if row is None:
        return None
    return {"cluster": row["cluster"], "position": row["position"],
            "competencies": json.loads(row["competencies"])}


def _check_assignment(config: dict, data: dict) -> dict:
    cluster, position = data.get("cluster"), data.get("position")
    competencies = data.get("competencies") or []
    if cluster not in CLUSTERS:
        raise _invalid(f"Klaster '{cluster}' tidak dikenal.", "invalid_cluster")
    if position not in POSITIONS:
        raise _invalid("Kedudukan harus PJ atau anggota.", "invalid_position")
    if len(set(competencies)) != len(competencies):
        raise _invalid("Kompetensi tercantum lebih dari sekali.", "invalid_competency")
    unknown = sorted(set(competencies) - competency_labels(config).keys())
    if unknown:
        raise _invalid(f"Kompetensi tidak dikenal: {', '.join(unknown)}.", "invalid_competency")
    return {"cluster": cluster, "position": position, "competencies": list(competencies)}


def assign(conn: sa.Connection, actor: User | None, username: str, data: dict,
           config: dict) -> dict:
    """Put `username` in one cluster as PJ or anggota with their competencies (replacing any
    earlier assignment). A cluster has one PJ (seed 000: "minimal terdiri atas PJ dan
    anggota"): naming a second is 409 `pj_taken` until the first is changed."""
    user = _staff_user(conn, username)
    wanted = _check_assignment(config, data)
    if wanted["position"] == "pj":
        other = conn.execute(sa.select(flow_staff_assignments.c.username).where(
            flow_staff_assignments.c.cluster == wanted["cluster"],
            flow_staff_assignments.c.position == "pj",
            flow_staff_assignments.c.username != username)).scalar()
        if other is not None:
            raise FlowError(409, f"Klaster ini sudah memiliki PJ ({other}). Ubah dulu "
                                 "kedudukan PJ yang lama.", "pj_taken")
    before = assignment(conn, username)
    values = {"cluster": wanted["cluster"], "position": wanted["position"],
              "competencies": json.dumps(wanted["competencies"]), "updated_at": clock.utc_stamp(),
              "updated_by": _who(actor)}
    if before is None:
        conn.execute(sa.insert(flow_staff_assignments).values(username=username, **values))
    else:
        conn.execute(sa.update(flow_staff_assignments)
                     .where(flow_staff_assignments.c.username == username).values(**values))
    audit.record(conn, actor=actor, action="flow.staff_assign", target_type="user",
                 target_id=str(user.id),
                 detail={"username": username, "before": before, "after": wanted})
    return next(member for member in staff(conn) if member["username"] == username)


def unassign(conn: sa.Connection, actor: User, username: str) -> None:
    """Take `username` out of the organisation (404 if they were not in it)."""
    user = _staff_user(conn, username)
    before = assignment(conn, username)
    if before is None:
        raise FlowError(404, "Petugas ini belum ditempatkan di klaster mana pun.",
                        "not_assigned")
    conn.execute(sa.delete(flow_staff_assignments)
                 .where(flow_staff_assignments.c.username == username))
    audit.record(conn, actor=actor, action="flow.staff_unassign", target_type="user",
                 target_id=str(user.id), detail={"username": username, "before": before})


# -- service points ---------------------------------------------------------------------------

def point_json(row) -> dict:
    clusters_ = row["clusters"]
    return {"id": row["id"], "label": row["label"], "kind": row["kind"],
            "clusters": json.loads(clusters_) if isinstance(clusters_, str) else list(clusters_),
            "ticket_prefix": row["ticket_prefix"], "active": bool(row["active"]),
            "sort_order": row["sort_order"]}


def service_points(conn: sa.Connection, active_only: bool = False) -> list[dict]:
    stmt = sa.select(flow_service_points).order_by(flow_service_points.c.sort_order,
                                                   flow_service_points.c.id)
    if active_only:
        stmt = stmt.where(flow_service_points.c.active.is_(True))
    return [point_json(row) for row in conn.execute(stmt).mappings()]


def _check_point(fields: dict) -> None:
    label = (fields.get("label") or "").strip()
    if not label or len(label) > 80:
        raise _invalid("Nama tempat layanan wajib diisi (paling banyak 80 huruf).",
                       "invalid_label")
    kind = fields.get("kind")
    if kind not in POINT_KINDS:
        raise _invalid(f"Jenis tempat layanan '{kind}' tidak dikenal.", "invalid_kind")
    served = fields.get("clusters")
    if not isinstance(served, list) or not served or len(set(served)) != len(served):
        raise _invalid("Pilih satu klaster atau lebih, masing-masing sekali.", "invalid_cluster")
    unknown = [code for code in served if code not in CLUSTERS]
    if unknown:
        raise _invalid(f"Klaster tidak dikenal: {', '.join(map(str, unknown))}.",
                       "invalid_cluster")
    if not set(served) <= KIND_CLUSTERS[kind]:
        raise _invalid("Klaster tidak cocok dengan jenis tempat layanan: loket untuk Klaster 1; "
                       "laboratorium, farmasi dan gawat darurat untuk Lintas Klaster; ruang "
                       "klaster untuk Klaster 2, 3 atau 4.", "invalid_cluster")
    prefix = fields.get("ticket_prefix")
    if not isinstance(prefix, str) or not re.match(TICKET_PREFIX, prefix):
        raise _invalid("Awalan nomor antrean: 1 sampai 3 huruf besar (mis. B).",
                       "invalid_prefix")
    order = fields.get("sort_order")
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 999:
        raise _invalid("Urutan harus bilangan 0 sampai 999.", "invalid_sort_order")


def _prefix_taken(conn: sa.Connection, prefix: str, point_id: str) -> None:
    other = conn.execute(sa.select(flow_service_points.c.label).where(
        flow_service_points.c.ticket_prefix == prefix,
        flow_service_points.c.id != point_id)).scalar()
    if other is not None:
        raise FlowError(409, f"Awalan nomor antrean {prefix} sudah dipakai {other}.",
                        "prefix_taken")


def create_point(conn: sa.Connection, actor: User | None, data: dict) -> dict:
    """A new service point; `sort_order` defaults to after the last one."""
    point_id = data.get("id")
    if not isinstance(point_id, str) or not re.match(POINT_ID, point_id):
        raise _invalid("Kode tempat layanan: huruf kecil, angka dan tanda hubung (mis. k3-umum).",
                       "invalid_id")
    fields = {"label": data.get("label"), "kind": data.get("kind"),
              "clusters": data.get("clusters"), "ticket_prefix": data.get("ticket_prefix"),
              "sort_order": data.get("sort_order")}
    if fields["sort_order"] is None:
        last = conn.execute(sa.select(sa.func.max(flow_service_points.c.sort_order))).scalar()
        fields["sort_order"] = 0 if last is None else min(last + 1, 999)
    _check_point(fields)
    fields["label"] = fields["label"].strip()
    if conn.execute(sa.select(flow_service_points.c.id)
                    .where(flow_service_points.c.id == point_id)).first():
        raise FlowError(409, f"Kode tempat layanan {point_id} sudah dipakai.", "point_exists")
    _prefix_taken(conn, fields["ticket_prefix"], point_id)
    row = {"id": point_id, **fields, "clusters": json.dumps(fields["clusters"]), "active": True,
           "updated_at": clock.utc_stamp(), "updated_by": _who(actor)}
    conn.execute(sa.insert(flow_service_points).values(**row))
    created = point_json(row)
    audit.record(conn, actor=actor, action="flow.point_create", target_type="service_point",
                 target_id=point_id, detail={"after": created})
    return created


def update_point(conn: sa.Connection, actor: User, point_id: str, changes: dict) -> dict:
    """Change a point's label, kind, clusters, ticket prefix, order or whether it is active.
    A point with people in its queue cannot be closed (409 `point_in_use`)."""
    row = conn.execute(sa.select(flow_service_points)
                       .where(flow_service_points.c.id == point_id)).mappings().first()
    if row is None:
        raise FlowError(404, "Tempat layanan tidak ditemukan di Puskesmas ini.", "no_such_point")
    before = point_json(row)
    editable = ("label", "kind", "clusters", "ticket_prefix", "sort_order", "active")
    after = {**before, **{key: changes[key] for key in editable if key in changes}}
    _check_point(after)
    if not isinstance(after["active"], bool):
        raise _invalid("Status aktif harus ya atau tidak.", "invalid_active")
    after["label"] = after["label"].strip()
    _prefix_taken(conn, after["ticket_prefix"], point_id)
    if before["active"] and not after["active"]:
        waiting = conn.execute(sa.select(sa.func.count()).select_from(flow_queue_entries).where(
            flow_queue_entries.c.service_point_id == point_id,
            flow_queue_entries.c.status.in_(ACTIVE_STATUSES))).scalar()
        if waiting:
            raise FlowError(409, f"Masih ada {waiting} orang dalam antrean tempat ini; "
                                 "selesaikan atau pindahkan dulu.", "point_in_use")
    if after == before:
        return before
    conn.execute(sa.update(flow_service_points).where(flow_service_points.c.id == point_id)
                 .values(label=after["label"], kind=after["kind"],
                         clusters=json.dumps(after["clusters"]),
                         ticket_prefix=after["ticket_prefix"], sort_order=after["sort_order"],
                         active=after["active"], updated_at=clock.utc_stamp(),
                         updated_by=_who(actor)))
    audit.record(conn, actor=actor, action="flow.point_update", target_type="service_point",
                 target_id=point_id,
                 detail={"before": {k: v for k, v in before.items() if after[k] != v},
                         "after": {k: v for k, v in after.items() if before[k] != v}})
    return after


def add_default_points(conn: sa.Connection, actor: User | None, config: dict) -> list[dict]:
    """The starting service points of organisation.json that do not exist yet (the demo, a new
    installation); a Puskesmas then changes them on the organisation screen."""
    existing = {point["id"] for point in service_points(conn)}
    created = []
    for order, point in enumerate(config["organisation"]["default_service_points"]["points"]):
        if point["id"] not in existing:
            created.append(create_point(conn, actor, {**point, "sort_order": order}))
    return created
