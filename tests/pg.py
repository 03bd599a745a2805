"""A PostgreSQL schema of a test process's own, so concurrent runs against one database
never see each other's tables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("TEST_DATABASE_URL")


@contextmanager
def own_schema(prefix: str) -> Iterator[str]:
    """TEST_DATABASE_URL with a fresh schema `<prefix>_<pid>` on its search path, dropped
    afterwards; skips the test when no PostgreSQL is configured."""
    if not PG_URL:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL to run these tests on it")
    schema = f"{prefix}_{os.getpid()}"
    base = sa.make_url(PG_URL)
    with sa.create_engine(base).begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with sa.create_engine(base).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
