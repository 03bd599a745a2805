"""The local push service refuses what a real one refuses: the sender's tests count only if a
wrong signature, audience, expiry, header or key would fail them."""

from __future__ import annotations

import time

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02, jwt

from backend.instance_secrets import _new_vapid_pair
from backend.push import sender, vapid
from tests.push import keys
from tests.push.conftest import SUBJECT

ROW = {"payload": '{"title":"Imunisasi Budi"}', "ttl": 60, "urgency": "normal", "topic": "t"}


def signer(pem: str) -> Vapid02:
    return Vapid02(private_key=serialization.load_pem_private_key(pem.encode(), None))


def run_with(pem: str) -> sender.Run:
    return sender.Run(signer=signer(pem), subject=SUBJECT, allow_private=True, ca_bundle=None,
                      timeout=2, concurrency=1, retry_seconds=1, max_attempts=1)


@pytest.fixture(scope="module")
def http(receiver):
    session = requests.Session()
    session.trust_env = False            # REQUESTS_CA_BUNDLE would replace `verify`
    session.verify = str(receiver.ca_file)
    return session


def post(http, sub: dict, body: bytes, headers: dict) -> requests.Response:
    return http.post(sub["endpoint"], data=body, headers=headers, timeout=5)


def request(pem: str, sub: dict) -> tuple[bytes, dict]:
    return sender._request({**ROW, "subscription": sub}, run_with(pem))


def test_a_well_formed_push_is_accepted(receiver, http, vapid_pair):
    sub = receiver.subscription()
    assert post(http, sub, *request(vapid_pair[0], sub)).status_code == 201
    assert receiver.received(sub)[0].payload == {"title": "Imunisasi Budi"}


def test_another_servers_key_is_refused(receiver, http):
    sub = receiver.subscription()
    answer = post(http, sub, *request(_new_vapid_pair()[0], sub))
    assert answer.status_code == 403 and "public key" in answer.text


def test_a_forged_signature_is_refused(receiver, http, vapid_pair):
    """The right `k`, a JWT signed with another key."""
    sub = receiver.subscription()
    body, headers = request(_new_vapid_pair()[0], sub)
    token = headers["Authorization"].split("t=")[1].split(",")[0]
    headers["Authorization"] = f"vapid t={token},k={vapid_pair[1]}"
    answer = post(http, sub, body, headers)
    assert answer.status_code == 403 and "does not verify" in answer.text


def signed(pem: str, claims: dict) -> dict:
    """An Authorization header for `claims` as they are (py_vapid would refuse some of them)."""
    key = serialization.load_pem_private_key(pem.encode(), None)
    token = jwt.sign({k: v for k, v in claims.items() if v is not None}, key)
    public = keys.b64url(key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    return {"Authorization": f"vapid t={token},k={public}"}


@pytest.mark.parametrize(("change", "reason"), [
    ({"exp": 25 * 3600}, "exp"), ({"exp": -60}, "exp"),
    ({"aud": "https://push.example.org"}, "aud"), ({"sub": None}, "sub"),
    ({"sub": "admin@pkm-cikalong.example"}, "sub"),
])
def test_claims_out_of_bounds_are_refused(receiver, http, vapid_pair, change, reason):
    sub = receiver.subscription()
    body, headers = request(vapid_pair[0], sub)
    claims = vapid.claims(sub["endpoint"], SUBJECT)
    if "exp" in change:
        claims["exp"] = int(time.time()) + change["exp"]
    else:
        claims.update(change)
    headers.update(signed(vapid_pair[0], claims))
    answer = post(http, sub, body, headers)
    assert answer.status_code == 403 and reason in answer.text


def test_claims_signed_as_they_are_pass(receiver, http, vapid_pair):
    """The helper above signs a valid set acceptably: the refusals are the claims'."""
    sub = receiver.subscription()
    body, headers = request(vapid_pair[0], sub)
    headers.update(signed(vapid_pair[0], vapid.claims(sub["endpoint"], SUBJECT)))
    assert post(http, sub, body, headers).status_code == 201


@pytest.mark.parametrize(("header", "value"), [
    ("TTL", None), ("TTL", "-1"), ("Urgency", "urgent"), ("Topic", "x" * 33),
    ("Topic", "not/base64"), ("Content-Encoding", "aesgcm")])
def test_headers_out_of_bounds_are_refused(receiver, http, vapid_pair, header, value):
    sub = receiver.subscription()
    body, headers = request(vapid_pair[0], sub)
    headers.pop(header)
    if value is not None:
        headers[header] = value
    assert post(http, sub, body, headers).status_code == 400


def test_a_body_for_another_subscription_does_not_decrypt(receiver, http, vapid_pair):
    sub, other = receiver.subscription(), receiver.subscription()
    body, headers = request(vapid_pair[0], other)
    answer = post(http, sub, body, headers)
    assert answer.status_code == 400 and "does not decrypt" in answer.text


def test_a_body_over_4096_bytes_is_413(receiver, http, vapid_pair):
    sub = receiver.subscription()
    _, headers = request(vapid_pair[0], sub)
    assert post(http, sub, b"x" * 4097, headers).status_code == 413
