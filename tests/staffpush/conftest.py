"""Staff push tests: a subscription as a browser would send it, on a local (loopback) push
service the app is told to accept (PUSH_ALLOW_PRIVATE_ENDPOINTS, as the tests' receiver needs)."""

from __future__ import annotations

import pytest

from tests.push import keys

ORIGIN = "https://127.0.0.1:9"   # nothing listens: these tests never send


@pytest.fixture
def local_push(app):
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = True
    return app


def browser_subscription(seed: str | None = None, origin: str = ORIGIN) -> dict:
    return keys.subscription(origin, seed)


@pytest.fixture(scope="session")
def vapid_pair() -> tuple[str, str]:
    from backend.instance_secrets import _new_vapid_pair  # noqa: PLC0415

    return _new_vapid_pair()


@pytest.fixture(scope="session")
def receiver(vapid_pair):
    """The tests' local push service (tests/push/receiver.py): verifies VAPID, decrypts."""
    from tests.push.receiver import PushReceiver  # noqa: PLC0415

    with PushReceiver(vapid_pair[1]) as service:
        yield service


@pytest.fixture
def sending_app(app, receiver, vapid_pair):
    """The app signing with `vapid_pair`, trusting the local push service."""
    app.config.update(VAPID_PRIVATE_KEY=vapid_pair[0], VAPID_PUBLIC_KEY=vapid_pair[1],
                      VAPID_SUBJECT="mailto:admin@pkm-cikalong.example",
                      PUSH_TIMEOUT_SECONDS=2.0, **receiver.app_config())
    return app
