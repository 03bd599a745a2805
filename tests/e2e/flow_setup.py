"""The Puskesmas of the flow's browser tests: the rooms and staff of tests/flow/world.py on the
e2e session's server, added by whichever flow test comes first, and the queues emptied of
earlier tests' people, so "Panggil berikutnya" calls this test's own."""

from __future__ import annotations

import sqlalchemy as sa

from backend.auth.users import create_user, get_user
from backend.db import write_transaction
from backend.flow.tables import flow_queue_entries, flow_service_points
from backend.flow.vocabulary import ACTIVE_STATUSES
from tests import factories
from tests.flow import world as flow_world


def ready(app, staff=tuple(flow_world.STAFF)) -> None:
    with app.app_context(), write_transaction() as conn:
        have = set(conn.execute(sa.select(flow_service_points.c.id)).scalars())
        missing = [point for point in flow_world.POINTS if point[0] not in have]
        if missing:
            flow_world.add_points(conn, missing)
        for username in staff:
            if get_user(conn, username=username) is None:
                create_user(conn, username=username, password=factories.PASSWORD,
                            role="klaster", display_name=username.title(),
                            cluster=flow_world.STAFF[username],
                            scopes=[factories.DESA_A, factories.DESA_B])
        conn.execute(sa.update(flow_queue_entries)
                     .where(flow_queue_entries.c.status.in_(ACTIVE_STATUSES))
                     .values(status="cancelled", ended_at=flow_world.STAMP))
