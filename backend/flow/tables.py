"""Service-flow state at the Puskesmas (docs/flow.md "Data model").

Operational rows, like the audit log and the push outbox: they describe the day inside the
building (who waits where, who is on duty), never replicate, and `flask reproject` leaves them
alone. Clinical facts (what was measured, found, prescribed, the lab's results) are `encounter`
documents written through the one write path; a queue entry only points at them.

Timestamps are ISO-8601 UTC strings (`...Z`), days are the Puskesmas's local date (backend/clock).
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

ID = sa.String(200)
TS = sa.String(40)
DAY = sa.String(10)
USERNAME = sa.String(64)

ACTIVE = "status IN ('waiting', 'called', 'in_service')"

# A room or desk: the loket, a cluster's room (one or more clusters), lab, pharmacy, emergency.
flow_service_points = sa.Table(
    "flow_service_points", metadata,
    sa.Column("id", sa.String(40), primary_key=True),          # slug, e.g. "k3-umum"
    sa.Column("label", sa.String(80), nullable=False),         # "Ruang Klaster 3 (Dewasa)"
    sa.Column("kind", sa.String(16), nullable=False),          # vocabulary.POINT_KINDS
    sa.Column("clusters", sa.Text, nullable=False),            # JSON list of cluster codes
    sa.Column("ticket_prefix", sa.String(3), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("sort_order", sa.Integer, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("updated_by", USERNAME, nullable=False),
)

# The Kepala Puskesmas's assignment of a staff member to one cluster, as PJ or anggota, with the
# competencies (codes of config/ilp/organisation.json) they hold.
flow_staff_assignments = sa.Table(
    "flow_staff_assignments", metadata,
    sa.Column("username", USERNAME, primary_key=True),
    sa.Column("cluster", sa.String(8), nullable=False),
    sa.Column("position", sa.String(8), nullable=False),       # vocabulary.POSITIONS
    sa.Column("competencies", sa.Text, nullable=False),        # JSON list of codes
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("updated_by", USERNAME, nullable=False),
)

# Who is on duty at which service point on a day.
flow_duty = sa.Table(
    "flow_duty", metadata,
    sa.Column("day", DAY, primary_key=True),
    sa.Column("service_point_id", sa.String(40), sa.ForeignKey("flow_service_points.id"),
              primary_key=True),
    sa.Column("username", USERNAME, primary_key=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", USERNAME, nullable=False),
)

# One person's visit to the Puskesmas on a day, as recorded at the loket.
flow_arrivals = sa.Table(
    "flow_arrivals", metadata,
    sa.Column("id", sa.String(36), primary_key=True),          # uuid4
    sa.Column("day", DAY, nullable=False),
    sa.Column("person_id", ID, nullable=False),
    sa.Column("desa", sa.String(16), nullable=False),          # the person's, for scope
    sa.Column("complaint", sa.String(300)),
    sa.Column("payer", sa.String(8), nullable=False),          # vocabulary.PAYERS
    sa.Column("new_patient", sa.Boolean, nullable=False),
    sa.Column("emergency", sa.Boolean, nullable=False),
    sa.Column("disability", sa.Boolean, nullable=False),
    sa.Column("symptoms", sa.Text, nullable=False),            # JSON list of routing.json codes
    sa.Column("priority", sa.String(10), nullable=False),      # vocabulary.PRIORITIES
    sa.Column("priority_groups", sa.Text, nullable=False),     # JSON list (lansia, hamil, ...)
    sa.Column("proposed_cluster", sa.String(8), nullable=False),  # the routing rule's
    sa.Column("cluster", sa.String(8), nullable=False),        # where the clerk sent them
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", USERNAME, nullable=False),
    sa.Index("ix_flow_arrivals_day_person", "day", "person_id"),
)

# One place in one queue. A transfer ends an entry (`transferred`) and opens the next one with
# `previous_id` pointing back, so the chain is the visit's history. A person never has two
# active entries in one queue (the partial unique index).
flow_queue_entries = sa.Table(
    "flow_queue_entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("arrival_id", sa.String(36), sa.ForeignKey("flow_arrivals.id"), nullable=False),
    sa.Column("person_id", ID, nullable=False),
    sa.Column("service_point_id", sa.String(40), sa.ForeignKey("flow_service_points.id"),
              nullable=False),
    sa.Column("day", DAY, nullable=False),
    sa.Column("ticket", sa.String(8), nullable=False),         # "B-012"
    sa.Column("priority_rank", sa.Integer, nullable=False),    # vocabulary.PRIORITY_RANK
    sa.Column("queued_at", TS, nullable=False),  # place within a rank (a return keeps its first)
    sa.Column("status", sa.String(12), nullable=False),        # vocabulary.ENTRY_STATUSES
    sa.Column("previous_id", sa.Integer, sa.ForeignKey("flow_queue_entries.id")),
    sa.Column("reason", sa.String(300)),                       # why it was transferred here
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", USERNAME, nullable=False),
    sa.Column("called_at", TS),                                # the last call
    sa.Column("call_count", sa.Integer, nullable=False),
    sa.Column("called_by", USERNAME),
    sa.Column("started_at", TS),
    sa.Column("ended_at", TS),
    sa.Column("served_by", USERNAME),
    sa.Column("encounter_id", ID),                             # the record written here
    sa.Index("ix_flow_queue_entries_point_day_status", "service_point_id", "day", "status"),
    sa.Index("ix_flow_queue_entries_arrival", "arrival_id"),
    sa.Index("ux_flow_queue_entries_active", "service_point_id", "person_id", unique=True,
             sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE)),
)

# The last ticket number handed out per service point and day.
flow_ticket_counters = sa.Table(
    "flow_ticket_counters", metadata,
    sa.Column("day", DAY, primary_key=True),
    sa.Column("service_point_id", sa.String(40), primary_key=True),
    sa.Column("last_number", sa.Integer, nullable=False),
)

# Every call and recall, in order: what the waiting-room display shows (ticket and room, never
# a name); its id is the display's sequence.
flow_calls = sa.Table(
    "flow_calls", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("flow_queue_entries.id"), nullable=False),
    sa.Column("service_point_id", sa.String(40), nullable=False),
    sa.Column("ticket", sa.String(8), nullable=False),
    sa.Column("day", DAY, nullable=False),
    sa.Column("called_at", TS, nullable=False),
    sa.Index("ix_flow_calls_day", "day", "id"),
)

# Tests the desk ordered for one queue entry; the lab's results are an encounter document
# (`result_encounter_id`), written through the one write path.
flow_lab_orders = sa.Table(
    "flow_lab_orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("arrival_id", sa.String(36), sa.ForeignKey("flow_arrivals.id"), nullable=False),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("flow_queue_entries.id"), nullable=False),
    sa.Column("person_id", ID, nullable=False),
    sa.Column("tests", sa.Text, nullable=False),               # JSON list of lab.json codes
    sa.Column("note", sa.String(300)),
    sa.Column("ordered_at", TS, nullable=False),
    sa.Column("ordered_by", USERNAME, nullable=False),
    sa.Column("result_encounter_id", ID),
    sa.Column("resulted_at", TS),
    sa.Column("resulted_by", USERNAME),
    sa.Index("ix_flow_lab_orders_arrival", "arrival_id"),
)

# What the pharmacy handed over for a prescription (the `prescriptions` of an encounter).
# No stock management.
flow_dispensings = sa.Table(
    "flow_dispensings", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("arrival_id", sa.String(36), sa.ForeignKey("flow_arrivals.id"), nullable=False),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("flow_queue_entries.id"), nullable=False),
    sa.Column("encounter_id", ID, nullable=False),             # holds the prescription
    sa.Column("items", sa.Text, nullable=False),               # JSON: [{index, quantity, note}]
    sa.Column("dispensed_at", TS, nullable=False),
    sa.Column("dispensed_by", USERNAME, nullable=False),
    sa.Index("ix_flow_dispensings_arrival", "arrival_id"),
)

# A waiting-room screen: its secret token (SHA-256 stored) shows the calls of its service
# points and nothing else.
flow_displays = sa.Table(
    "flow_displays", metadata,
    sa.Column("id", sa.String(36), primary_key=True),          # uuid4
    sa.Column("label", sa.String(80), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("service_points", sa.Text, nullable=False),      # JSON list of point ids
    sa.Column("chime", sa.Boolean, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", USERNAME, nullable=False),
    sa.Column("revoked_at", TS),
)
