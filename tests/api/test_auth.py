"""Login sessions: cookie flags, CSRF, logout, rate limiting, Basic auth, deactivation."""

from __future__ import annotations

from argon2 import PasswordHasher, Type

from backend.auth import passwords
from backend.auth.users import get_user, update_user
from backend.db import write_transaction
from tests import factories as f


def test_login_sets_httponly_samesite_cookie_and_returns_csrf_token(client, world):
    response = client.post("/api/v1/auth/login",
                           json={"username": "pustu_a", "password": f.PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "siklus_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; set when served over https
    assert len(response.json["csrf_token"]) >= 32
    assert "password" not in response.json


def test_cookie_is_secure_over_https(client, world):
    response = client.post("/api/v1/auth/login", base_url="https://localhost",
                           json={"username": "pustu_a", "password": f.PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_and_unknown_user_get_the_same_answer(client, world):
    wrong = client.post("/api/v1/auth/login", json={"username": "pustu_a", "password": "salah!!"})
    nobody = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "salah!!"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json["detail"] == nobody.json["detail"]


def test_repeated_failures_are_rate_limited_even_with_the_right_password(client, app, world):
    for _ in range(app.config["LOGIN_RATE_LIMIT"]):
        client.post("/api/v1/auth/login", json={"username": "kapus", "password": "tebak-tebak"})
    response = client.post("/api/v1/auth/login",
                           json={"username": "kapus", "password": f.PASSWORD})
    assert response.status_code == 429


def test_cookie_write_without_csrf_header_is_refused(login):
    session = login("pustu_a")
    response = session.client.post("/api/v1/persons", json={
        "desa": f.DESA_A, "name": "Tanpa Token", "sex": "L", "birth_date": "1990-01-01"})
    assert response.status_code == 403
    assert "CSRF" in response.json["detail"]


def test_logout_ends_the_session_on_the_server(login):
    session = login("pustu_a")
    assert session.post("/api/v1/auth/logout").status_code == 204
    assert session.get("/api/v1/auth/me").status_code == 401


def test_basic_auth_works_for_service_accounts_without_csrf(client, world):
    response = client.get("/api/v1/auth/me", auth=("admin", f.PASSWORD))
    assert response.status_code == 200 and response.json["role"] == "admin"
    assert client.get("/api/v1/auth/me", auth=("admin", "salah")).status_code == 401


def test_deactivated_user_loses_access_at_once(login):
    admin, pustu = login("admin"), login("pustu_a")
    user_id = pustu.me["id"]
    assert admin.patch(f"/api/v1/users/{user_id}", json={"active": False}).status_code == 200
    assert pustu.get("/api/v1/auth/me").status_code == 401
    again = pustu.client.post("/api/v1/auth/login",
                              json={"username": "pustu_a", "password": f.PASSWORD})
    assert again.status_code == 401


def test_production_profile_is_argon2id_rfc9106():
    # conftest swaps in the CHEAPEST profile for speed; the production profile stays strong.
    assert passwords.PROFILE.type is Type.ID
    assert passwords.PROFILE.memory_cost >= 64 * 1024 and passwords.PROFILE.time_cost >= 3
    stored = PasswordHasher.from_parameters(passwords.PROFILE).hash("kata-sandi-1")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "kata-sandi-1")
    assert not passwords.verify_password(stored, "kata-sandi-2")
    assert not passwords.verify_password(None, "kata-sandi-1")


def test_a_login_cookie_never_leaks_into_another_response(app, world):
    # The fixture holds one app context open, so `g` outlives requests here as it can in CLI
    # or worker code: the session cookie must be set on the login response only.
    first, second = app.test_client(), app.test_client()
    first.post("/api/v1/auth/login", json={"username": "pustu_a", "password": f.PASSWORD})
    response = second.get("/api/v1/auth/me")
    assert response.status_code == 401 and "Set-Cookie" not in response.headers


def test_a_password_change_ends_the_old_basic_password_at_once_in_every_worker(client, world):
    # The change is made straight in the database, as another gunicorn worker or the CLI
    # would: this process's verified-credential cache must not keep the old password alive.
    assert client.get("/sync/siklus", auth=("admin", f.PASSWORD)).status_code == 200
    with write_transaction() as conn:
        user, _hash = get_user(conn, username="admin")
        update_user(conn, user, {"password": "sandi-baru-99"})
    assert client.get("/sync/siklus", auth=("admin", f.PASSWORD)).status_code == 401
    assert client.get("/sync/siklus", auth=("admin", "sandi-baru-99")).status_code == 200


def test_a_basic_role_or_area_change_applies_to_the_next_request(client, world):
    assert client.get("/api/v1/auth/me", auth=("kapus", f.PASSWORD)).json["role"] == "kapus"
    with write_transaction() as conn:
        user, _hash = get_user(conn, username="kapus")
        update_user(conn, user, {"role": "pustu", "scopes": [f.DESA_B]})
    me = client.get("/api/v1/auth/me", auth=("kapus", f.PASSWORD)).json
    assert (me["role"], me["scopes"]) == ("pustu", [f.DESA_B])
