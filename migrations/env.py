"""Alembic environment: runs on the connection handed over by backend.migrate."""

from alembic import context

# Importing the table modules registers their tables on the shared metadata.
import backend.audit.tables
import backend.auth.tables
import backend.flow.tables
import backend.projections.tables
import backend.push.tables
import backend.pws.tables
import backend.review.tables
import backend.sync.tables
import backend.worker.tables
from backend.db import metadata

TABLE_MODULES = (backend.audit.tables, backend.auth.tables, backend.flow.tables,
                 backend.projections.tables, backend.push.tables, backend.pws.tables,
                 backend.review.tables, backend.sync.tables, backend.worker.tables)

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations through `flask --app backend init-db`.")
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
