"""What the worker records: each job's last run, and the lease that keeps one worker on SQLite."""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

worker_jobs = sa.Table(
    "worker_jobs", metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("last_started_at", sa.String(40)),
    sa.Column("last_finished_at", sa.String(40)),
    sa.Column("last_ok_at", sa.String(40)),
    sa.Column("last_error", sa.String(500)),
    sa.Column("last_duration_ms", sa.Integer),
    sa.Column("runs", sa.Integer, nullable=False, default=0),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
)

# One row per running worker process. On SQLite a worker refuses to start while another holds an
# unexpired lease (one writer process: enforced); on PostgreSQL several may run, since the
# outbox is claimed with FOR UPDATE SKIP LOCKED. A worker renews its lease every tick.
worker_leases = sa.Table(
    "worker_leases", metadata,
    sa.Column("holder", sa.String(80), primary_key=True),   # host:pid:uuid
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
)
