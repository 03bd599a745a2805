"""Flow fixtures: the two-desa world with the service points and staff of tests/flow/world.py."""

from __future__ import annotations

import pytest

from backend.db import write_transaction
from tests.flow import world as flow_world


@pytest.fixture
def flow(app, world):
    """Service points and cluster staff on top of `world`; returns the staff user ids."""
    with write_transaction() as conn:
        flow_world.add_points(conn)
        return flow_world.add_staff(conn)
