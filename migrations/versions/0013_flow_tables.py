"""The Puskesmas service flow (docs/flow.md): service points, staff assignments, duty, arrivals,
queue entries, ticket counters, calls, lab orders, dispensings and waiting-room displays.

Operational state of the Puskesmas (backend/flow/tables.py): not replicated, not projections.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ("flow_displays", "flow_dispensings", "flow_lab_orders", "flow_calls",
          "flow_ticket_counters", "flow_queue_entries", "flow_arrivals", "flow_duty",
          "flow_staff_assignments", "flow_service_points")


def upgrade() -> None:
    op.create_table('flow_service_points',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('clusters', sa.Text(), nullable=False),
    sa.Column('ticket_prefix', sa.String(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.String(length=40), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_service_points')),
    sa.UniqueConstraint('ticket_prefix', name=op.f('uq_flow_service_points_ticket_prefix'))
    )
    op.create_table('flow_staff_assignments',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('cluster', sa.String(length=8), nullable=False),
    sa.Column('position', sa.String(length=8), nullable=False),
    sa.Column('competencies', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.String(length=40), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_flow_staff_assignments'))
    )
    op.create_table('flow_duty',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('service_point_id', sa.String(length=40), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['service_point_id'], ['flow_service_points.id'], name=op.f('fk_flow_duty_service_point_id_flow_service_points')),
    sa.PrimaryKeyConstraint('day', 'service_point_id', 'username', name=op.f('pk_flow_duty'))
    )
    op.create_table('flow_arrivals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('complaint', sa.String(length=300), nullable=True),
    sa.Column('payer', sa.String(length=8), nullable=False),
    sa.Column('new_patient', sa.Boolean(), nullable=False),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('disability', sa.Boolean(), nullable=False),
    sa.Column('symptoms', sa.Text(), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('priority_groups', sa.Text(), nullable=False),
    sa.Column('proposed_cluster', sa.String(length=8), nullable=False),
    sa.Column('cluster', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_arrivals'))
    )
    op.create_table('flow_queue_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('arrival_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('service_point_id', sa.String(length=40), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('ticket', sa.String(length=8), nullable=False),
    sa.Column('priority_rank', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('called_at', sa.String(length=40), nullable=True),
    sa.Column('call_count', sa.Integer(), nullable=False),
    sa.Column('called_by', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.String(length=40), nullable=True),
    sa.Column('ended_at', sa.String(length=40), nullable=True),
    sa.Column('served_by', sa.String(length=64), nullable=True),
    sa.Column('encounter_id', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['arrival_id'], ['flow_arrivals.id'], name=op.f('fk_flow_queue_entries_arrival_id_flow_arrivals')),
    sa.ForeignKeyConstraint(['previous_id'], ['flow_queue_entries.id'], name=op.f('fk_flow_queue_entries_previous_id_flow_queue_entries')),
    sa.ForeignKeyConstraint(['service_point_id'], ['flow_service_points.id'], name=op.f('fk_flow_queue_entries_service_point_id_flow_service_points')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_queue_entries'))
    )
    op.create_table('flow_ticket_counters',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('service_point_id', sa.String(length=40), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'service_point_id', name=op.f('pk_flow_ticket_counters'))
    )
    op.create_table('flow_calls',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('service_point_id', sa.String(length=40), nullable=False),
    sa.Column('ticket', sa.String(length=8), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('called_at', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['flow_queue_entries.id'], name=op.f('fk_flow_calls_entry_id_flow_queue_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_calls'))
    )
    op.create_table('flow_lab_orders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('arrival_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('tests', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('ordered_at', sa.String(length=40), nullable=False),
    sa.Column('ordered_by', sa.String(length=64), nullable=False),
    sa.Column('result_encounter_id', sa.String(length=200), nullable=True),
    sa.Column('resulted_at', sa.String(length=40), nullable=True),
    sa.Column('resulted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['arrival_id'], ['flow_arrivals.id'], name=op.f('fk_flow_lab_orders_arrival_id_flow_arrivals')),
    sa.ForeignKeyConstraint(['entry_id'], ['flow_queue_entries.id'], name=op.f('fk_flow_lab_orders_entry_id_flow_queue_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_lab_orders'))
    )
    op.create_table('flow_dispensings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('arrival_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('dispensed_at', sa.String(length=40), nullable=False),
    sa.Column('dispensed_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['arrival_id'], ['flow_arrivals.id'], name=op.f('fk_flow_dispensings_arrival_id_flow_arrivals')),
    sa.ForeignKeyConstraint(['entry_id'], ['flow_queue_entries.id'], name=op.f('fk_flow_dispensings_entry_id_flow_queue_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_dispensings'))
    )
    op.create_table('flow_displays',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('service_points', sa.Text(), nullable=False),
    sa.Column('chime', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('revoked_at', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_displays')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_flow_displays_token_hash'))
    )
    op.create_index('ix_flow_arrivals_day_person', 'flow_arrivals', ['day', 'person_id'], unique=False)
    op.create_index('ix_flow_queue_entries_arrival', 'flow_queue_entries', ['arrival_id'], unique=False)
    op.create_index('ix_flow_queue_entries_point_day_status', 'flow_queue_entries', ['service_point_id', 'day', 'status'], unique=False)
    op.create_index('ux_flow_queue_entries_active', 'flow_queue_entries', ['service_point_id', 'person_id'], unique=True, sqlite_where=sa.text("status IN ('waiting', 'called', 'in_service')"), postgresql_where=sa.text("status IN ('waiting', 'called', 'in_service')"))
    op.create_index('ix_flow_calls_day', 'flow_calls', ['day', 'id'], unique=False)
    op.create_index('ix_flow_lab_orders_arrival', 'flow_lab_orders', ['arrival_id'], unique=False)
    op.create_index('ix_flow_dispensings_arrival', 'flow_dispensings', ['arrival_id'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
