"""Login protection: the client's real address behind a proxy, limits per account and address,
per address and per account, on the JSON login and on HTTP Basic, and their audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend import audit, create_app
from backend.auth import throttle
from backend.auth.tables import login_failures
from backend.db import read_transaction, write_transaction
from tests import factories as f

LOGIN = "/api/v1/auth/login"
PROXY = "192.168.10.1"


def attempt(client, username, password="salah-tebak", client_addr=None, proxy=None):
    environ = {"REMOTE_ADDR": proxy or client_addr or "127.0.0.1"}
    headers = {"X-Forwarded-For": client_addr} if proxy else {}
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base=environ, headers=headers)


def fail(client, username, times, **where):
    for _ in range(times):
        assert attempt(client, username, **where).status_code == 401


@pytest.fixture
def proxied(app, world):
    """The same database served as behind one nginx (TRUSTED_PROXY_COUNT=1)."""
    behind = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
                         "TRUSTED_PROXY_COUNT": 1})
    yield behind
    behind.extensions["siklus.engine"].dispose()


def test_without_a_trusted_proxy_a_client_cannot_spoof_its_address(client, app, world):
    fail(client, "pustu_a", app.config["LOGIN_RATE_LIMIT"], client_addr="10.0.0.7")
    spoofed = client.post(LOGIN, json={"username": "pustu_a", "password": f.PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.0.0.7"},
                          headers={"X-Forwarded-For": "10.9.9.9"})
    assert spoofed.status_code == 429
    with read_transaction() as conn:
        assert {e.address for e in audit.entries(conn, action="login.failure")} == {"10.0.0.7"}


def test_behind_one_proxy_two_clients_are_limited_separately(proxied):
    client = proxied.test_client()
    fail(client, "pustu_a", proxied.config["LOGIN_RATE_LIMIT"], client_addr="10.1.1.1",
         proxy=PROXY)
    locked = attempt(client, "pustu_a", f.PASSWORD, client_addr="10.1.1.1", proxy=PROXY)
    other = attempt(client, "pustu_a", f.PASSWORD, client_addr="10.2.2.2", proxy=PROXY)
    assert locked.status_code == 429 and other.status_code == 200
    with proxied.app_context(), read_transaction() as conn:
        [success] = audit.entries(conn, action="login.success")
    assert success.address == "10.2.2.2"


def test_behind_a_proxy_the_forwarded_scheme_makes_the_cookie_secure(proxied):
    response = proxied.test_client().post(
        LOGIN, json={"username": "pustu_a", "password": f.PASSWORD},
        headers={"X-Forwarded-For": "10.1.1.1", "X-Forwarded-Proto": "https"})
    assert response.status_code == 200 and "Secure" in response.headers["Set-Cookie"]


def test_a_lock_out_answers_429_with_retry_after_and_lifts_with_the_window(client, app, world):
    fail(client, "kapus", app.config["LOGIN_RATE_LIMIT"])
    locked = attempt(client, "kapus", f.PASSWORD)
    window = app.config["LOGIN_RATE_WINDOW_SECONDS"]
    assert locked.status_code == 429 and locked.content_type == "application/problem+json"
    assert 1 <= int(locked.headers["Retry-After"]) <= window
    with write_transaction() as conn:  # the window passes
        conn.execute(login_failures.update().values(
            at=login_failures.c.at - dt.timedelta(seconds=window)))
    assert attempt(client, "kapus", f.PASSWORD).status_code == 200


def test_the_right_password_clears_only_this_accounts_failures_from_this_address(
        client, app, world):
    limit = app.config["LOGIN_RATE_LIMIT"]
    fail(client, "kapus", limit - 1)
    assert attempt(client, "kapus", f.PASSWORD).status_code == 200
    fail(client, "kapus", limit - 1)
    assert attempt(client, "kapus", f.PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_stopped(client, app, world):
    app.config["LOGIN_ADDRESS_LIMIT"] = 4
    for username in ("kader_a", "pustu_a", "pustu_b", "klaster2"):
        fail(client, username, 1, client_addr="10.3.3.3")
    assert attempt(client, "kapus", f.PASSWORD, client_addr="10.3.3.3").status_code == 429
    assert attempt(client, "kapus", f.PASSWORD, client_addr="10.4.4.4").status_code == 200


def test_one_account_guessed_from_many_addresses_hits_the_ceiling(client, app, world):
    app.config["LOGIN_ACCOUNT_LIMIT"] = 6
    for n in range(3):
        fail(client, "kapus", 2, client_addr=f"10.5.0.{n}")
    assert attempt(client, "kapus", f.PASSWORD, client_addr="10.5.1.1").status_code == 429
    # Other accounts at those addresses are untouched.
    assert attempt(client, "pustu_a", f.PASSWORD, client_addr="10.5.0.1").status_code == 200


def test_a_locked_account_keeps_its_open_sessions(login, client, app):
    tablet = login("pustu_a")
    fail(client, "pustu_a", app.config["LOGIN_RATE_LIMIT"])
    assert attempt(client, "pustu_a", f.PASSWORD).status_code == 429
    assert tablet.get("/api/v1/auth/me").status_code == 200


def test_an_attempt_counts_before_its_password_is_checked(app, world):
    # Parallel requests cannot slip extra guesses past the limit while Argon2 runs.
    limits = throttle.Limits(per_pair=2, per_address=99, per_account=99, window_s=300)
    with write_transaction() as conn:
        first = throttle.reserve(conn, limits, "Kapus", "10.6.6.6")
        second = throttle.reserve(conn, limits, "kapus", "10.6.6.6")
        third = throttle.reserve(conn, limits, "kapus", "10.6.6.6")
        assert first.retry_after is second.retry_after is None
        assert third.retry_after is not None and not third.row_ids
        throttle.refund(conn, second)
        assert throttle.reserve(conn, limits, "kapus", "10.6.6.6").retry_after is None


def test_basic_auth_is_rate_limited_too(client, app, world):
    for _ in range(app.config["LOGIN_RATE_LIMIT"]):
        assert client.get("/sync/siklus", auth=("admin", "salah-tebak")).status_code == 401
    sync = client.get("/sync/siklus", auth=("admin", f.PASSWORD))
    api = client.get("/api/v1/auth/me", auth=("admin", f.PASSWORD))
    assert sync.status_code == 429 and sync.json["error"] == "too_many_requests"
    assert int(sync.headers["Retry-After"]) >= 1
    assert api.status_code == 429 and api.content_type == "application/problem+json"


def test_a_basic_client_already_verified_is_not_locked_out_by_a_guesser(client, app, world):
    assert client.get("/sync/siklus", auth=("admin", f.PASSWORD)).status_code == 200
    for _ in range(app.config["LOGIN_RATE_LIMIT"]):
        client.get("/sync/siklus", auth=("admin", "salah-tebak"))
    assert client.get("/sync/siklus", auth=("admin", f.PASSWORD)).status_code == 200


def test_logins_failures_and_the_start_of_a_lock_out_are_audited(client, app, world):
    limit = app.config["LOGIN_RATE_LIMIT"]
    assert attempt(client, "kapus", f.PASSWORD).status_code == 200
    fail(client, "kapus", limit)
    fail(client, "nobody", 1)
    for _ in range(3):  # refused while locked: nothing written, however often it is tried
        assert attempt(client, "kapus").status_code == 429
    client.get("/sync/siklus", auth=("kader_a", "salah-tebak"))
    with read_transaction() as conn:
        rows = audit.entries(conn, limit=100)
    by_action = {a: [e for e in rows if e.action == a]
                 for a in ("login.success", "login.failure", "login.locked")}
    assert [e.actor for e in by_action["login.success"]] == ["kapus"]
    assert len(by_action["login.failure"]) == limit + 2
    [locked] = by_action["login.locked"]
    assert locked.target_id == str(world.users["kapus"])
    assert locked.detail["username"] == "kapus" and locked.detail["retry_after"] >= 1
    assert {e.detail["method"] for e in by_action["login.failure"]} == {"password", "basic"}
    assert "-" in {e.target_id for e in by_action["login.failure"]}  # the unknown name
    assert not any("salah" in str(e.detail) for e in rows)


def test_failure_rows_older_than_the_window_are_purged(client, app, world):
    fail(client, "kapus", 1)
    with write_transaction() as conn:
        conn.execute(login_failures.update().values(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    fail(client, "pustu_a", 1)
    with read_transaction() as conn:
        keys = set(conn.execute(sa.select(login_failures.c.key)).scalars())
    assert keys and not any("kapus" in key for key in keys)
