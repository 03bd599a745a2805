"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import backend.audit.tables
import backend.auth.tables
import backend.projections.tables
import backend.sync.tables
from backend.db import engine, metadata, read_transaction
from backend.sync import reads

TABLE_MODULES = (backend.audit.tables, backend.auth.tables, backend.projections.tables,
                 backend.sync.tables)


def test_migrated_schema_matches_the_declared_tables(app):
    with engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], "run alembic revision --autogenerate: the migrations are behind"


def test_store_starts_with_one_meta_row_and_a_server_uuid(app):
    with read_transaction() as conn:
        assert len(reads.server_uuid(conn)) == 32
        assert reads.info(conn, "siklus")["update_seq"] == 0
