"""Staff push tests: a subscription as a browser would send it, on a local (loopback) push
service the app is told to accept (PUSH_ALLOW_PRIVATE_ENDPOINTS, as the tests' receiver needs)."""

from __future__ import annotations

import pytest

from tests.push import keys
from tests.push.conftest import push_app, receiver, vapid_pair  # noqa: F401  (the sender's)

ORIGIN = "https://127.0.0.1:9"   # nothing listens: these tests never send


@pytest.fixture
def local_push(app):
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = True
    return app


def browser_subscription(seed: str | None = None, origin: str = ORIGIN) -> dict:
    return keys.subscription(origin, seed)


