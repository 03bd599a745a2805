"""Initial schema: document store, read model, users and sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:24:38.467369
"""

import uuid

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('archived_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('doc_id', sa.String(length=200), nullable=False),
    sa.Column('rev', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archived_revisions'))
    )
    with op.batch_alter_table('archived_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archived_revisions_doc_id'), ['doc_id'], unique=False)

    op.create_table('attachments',
    sa.Column('doc_id', sa.String(length=200), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('doc_id', 'digest', name=op.f('pk_attachments'))
    )
    op.create_table('diagnoses',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('icd10', sa.String(length=8), nullable=False),
    sa.Column('case_type', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnoses'))
    )
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.create_index('ix_diagnoses_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnoses_encounter_id'), ['encounter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnoses_person_id'), ['person_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('winner', sa.String(length=80), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('has_conflicts', sa.Boolean(), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('tree', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('seq', name=op.f('uq_documents_seq'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_scope_seq', ['scope', 'seq'], unique=False)
        batch_op.create_index('ix_documents_type', ['type'], unique=False)

    op.create_table('encounters',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('setting', sa.String(length=16), nullable=False),
    sa.Column('place_id', sa.String(length=200), nullable=True),
    sa.Column('provider', sa.String(length=120), nullable=True),
    sa.Column('cluster', sa.String(length=8), nullable=True),
    sa.Column('posyandu_session_id', sa.String(length=200), nullable=True),
    sa.Column('pregnancy_id', sa.String(length=200), nullable=True),
    sa.Column('corrects_id', sa.String(length=200), nullable=True),
    sa.Column('referral_to', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_encounters'))
    )
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_encounters_corrects_id'), ['corrects_id'], unique=False)
        batch_op.create_index('ix_encounters_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_encounters_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_encounters_pregnancy_id'), ['pregnancy_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('no_kk', sa.String(length=16), nullable=True),
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('rt', sa.String(length=3), nullable=True),
    sa.Column('rw', sa.String(length=3), nullable=True),
    sa.Column('dusun', sa.String(length=120), nullable=True),
    sa.Column('posyandu_id', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_desa'), ['desa'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_no_kk'), ['no_kk'], unique=False)

    op.create_table('immunizations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('vaccine', sa.String(length=40), nullable=False),
    sa.Column('dose', sa.Integer(), nullable=True),
    sa.Column('timing', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_immunizations'))
    )
    with op.batch_alter_table('immunizations', schema=None) as batch_op:
        batch_op.create_index('ix_immunizations_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_immunizations_encounter_id'), ['encounter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_immunizations_person_id'), ['person_id'], unique=False)

    op.create_table('local_docs',
    sa.Column('id', sa.String(length=300), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_docs'))
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key_at', ['key', 'at'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('text', sa.String(length=24), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_encounter_id'), ['encounter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_person_id'), ['person_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('household_id', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('birth_date_estimated', sa.Boolean(), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=True),
    sa.Column('mother_id', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.Column('jkn', sa.String(length=13), nullable=True),
    sa.Column('posyandu_id', sa.String(length=200), nullable=True),
    sa.Column('deceased_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index('ix_persons_desa_birth_date', ['desa', 'birth_date'], unique=False)
        batch_op.create_index('ix_persons_desa_name_key', ['desa', 'name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_nik'), ['nik'], unique=False)

    op.create_table('places',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.String(length=200), nullable=True),
    sa.Column('desa', sa.String(length=16), nullable=True),
    sa.Column('schedule_day', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index('ix_places_kind_code', ['kind', 'code'], unique=False)

    op.create_table('posyandu_sessions',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('posyandu_id', sa.String(length=200), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('attendance_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posyandu_sessions'))
    )
    with op.batch_alter_table('posyandu_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posyandu_sessions_posyandu_id'), ['posyandu_id'], unique=False)

    op.create_table('pregnancies',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('hpht', sa.Date(), nullable=True),
    sa.Column('hpl', sa.Date(), nullable=True),
    sa.Column('gravida', sa.Integer(), nullable=True),
    sa.Column('para', sa.Integer(), nullable=True),
    sa.Column('abortus', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('delivery_place_type', sa.String(length=16), nullable=True),
    sa.Column('delivery_attendant', sa.String(length=16), nullable=True),
    sa.Column('live_births', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pregnancies'))
    )
    with op.batch_alter_table('pregnancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pregnancies_desa'), ['desa'], unique=False)
        batch_op.create_index(batch_op.f('ix_pregnancies_person_id'), ['person_id'], unique=False)

    op.create_table('revisions',
    sa.Column('doc_id', sa.String(length=200), nullable=False),
    sa.Column('rev', sa.String(length=80), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('doc_id', 'rev', name=op.f('pk_revisions'))
    )
    op.create_table('scope_exits',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('doc_id', sa.String(length=200), nullable=False),
    sa.Column('old_scope', sa.String(length=16), nullable=False),
    sa.Column('new_scope', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_scope_exits'))
    )
    with op.batch_alter_table('scope_exits', schema=None) as batch_op:
        batch_op.create_index('ix_scope_exits_old_scope_seq', ['old_scope', 'seq'], unique=False)

    op.create_table('screenings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('instrument', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('result', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screenings'))
    )
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.create_index('ix_screenings_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_encounter_id'), ['encounter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_person_id'), ['person_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('encounter_id', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index('ix_services_desa_date', ['desa', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_encounter_id'), ['encounter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_person_id'), ['person_id'], unique=False)

    op.create_table('sync_meta',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('update_seq', sa.BigInteger(), nullable=False),
    sa.Column('doc_count', sa.BigInteger(), nullable=False),
    sa.Column('doc_del_count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_meta'))
    )
    # The single store row; its uuid identifies this server in PouchDB replication ids.
    op.bulk_insert(sa.table('sync_meta', sa.column('id'), sa.column('uuid'),
                            sa.column('update_seq'), sa.column('doc_count'),
                            sa.column('doc_del_count')),
                   [{'id': 1, 'uuid': uuid.uuid4().hex, 'update_seq': 0, 'doc_count': 0,
                     'doc_del_count': 0}])
    op.create_table('tasks',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('desa', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_place_id', sa.String(length=200), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('outcome', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('done_at', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_desa_status_due_date', ['desa', 'status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_person_id'), ['person_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('cluster', sa.String(length=8), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('user_scopes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('desa', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_scopes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'desa', name=op.f('pk_user_scopes'))
    )


def downgrade() -> None:
    op.drop_table('user_scopes')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))

    op.drop_table('sessions')
    op.drop_table('users')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_person_id'))
        batch_op.drop_index('ix_tasks_desa_status_due_date')

    op.drop_table('tasks')
    op.drop_table('sync_meta')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_person_id'))
        batch_op.drop_index(batch_op.f('ix_services_encounter_id'))
        batch_op.drop_index('ix_services_desa_date')

    op.drop_table('services')
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screenings_person_id'))
        batch_op.drop_index(batch_op.f('ix_screenings_encounter_id'))
        batch_op.drop_index('ix_screenings_desa_date')

    op.drop_table('screenings')
    with op.batch_alter_table('scope_exits', schema=None) as batch_op:
        batch_op.drop_index('ix_scope_exits_old_scope_seq')

    op.drop_table('scope_exits')
    op.drop_table('revisions')
    with op.batch_alter_table('pregnancies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pregnancies_person_id'))
        batch_op.drop_index(batch_op.f('ix_pregnancies_desa'))

    op.drop_table('pregnancies')
    with op.batch_alter_table('posyandu_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posyandu_sessions_posyandu_id'))

    op.drop_table('posyandu_sessions')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index('ix_places_kind_code')

    op.drop_table('places')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_nik'))
        batch_op.drop_index(batch_op.f('ix_persons_household_id'))
        batch_op.drop_index('ix_persons_desa_name_key')
        batch_op.drop_index('ix_persons_desa_birth_date')

    op.drop_table('persons')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_person_id'))
        batch_op.drop_index(batch_op.f('ix_observations_encounter_id'))
        batch_op.drop_index('ix_observations_desa_date')

    op.drop_table('observations')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key_at')

    op.drop_table('login_failures')
    op.drop_table('local_docs')
    with op.batch_alter_table('immunizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_immunizations_person_id'))
        batch_op.drop_index(batch_op.f('ix_immunizations_encounter_id'))
        batch_op.drop_index('ix_immunizations_desa_date')

    op.drop_table('immunizations')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_no_kk'))
        batch_op.drop_index(batch_op.f('ix_households_name_key'))
        batch_op.drop_index(batch_op.f('ix_households_desa'))

    op.drop_table('households')
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_encounters_pregnancy_id'))
        batch_op.drop_index(batch_op.f('ix_encounters_person_id'))
        batch_op.drop_index('ix_encounters_desa_date')
        batch_op.drop_index(batch_op.f('ix_encounters_corrects_id'))

    op.drop_table('encounters')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_type')
        batch_op.drop_index('ix_documents_scope_seq')

    op.drop_table('documents')
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnoses_person_id'))
        batch_op.drop_index(batch_op.f('ix_diagnoses_encounter_id'))
        batch_op.drop_index('ix_diagnoses_desa_date')

    op.drop_table('diagnoses')
    op.drop_table('attachments')
    with op.batch_alter_table('archived_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archived_revisions_doc_id'))

    op.drop_table('archived_revisions')
