"""Fixtures of the generated scope tests: the three-desa world and a session per role."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.api import scope_world


@pytest.fixture
def sw(world):
    return scope_world.build(world)


@pytest.fixture
def sessions(login, sw):
    """A logged-in client for every role of the factories' world."""
    return {username: login(username) for username in f.ROLE_USERS}
