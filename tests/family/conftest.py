"""A household with an invite drawn the way the tablet draws it (tests/family)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.auth.users import get_user
from backend.db import write_transaction
from backend.writes import write_docs
from tests import factories


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_subscription(endpoint: str | None = None) -> dict:
    """What `PushSubscription.toJSON()` gives: a real P-256 public key and a 16-byte secret."""
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"endpoint": endpoint or f"https://push.example/ep/{uuid.uuid4().hex}",
            "expirationTime": None, "keys": {"p256dh": b64url(point),
                                             "auth": b64url(secrets.token_bytes(16))}}


def new_token() -> str:
    return b64url(secrets.token_bytes(32))   # as the tablet: 32 random bytes, base64url


def invite_doc(household: dict, token: str, *, days: float = 30, **fields) -> dict:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    return {"_id": f"subscription_invite:{uuid.uuid4()}", "type": "subscription_invite",
            "schema": 1, "desa": household["desa"], "created_at": factories.TS,
            "created_by": "kader_a", "household": household["_id"],
            "token_hash": hashlib.sha256(token.encode()).hexdigest(),
            "expires_at": expires.isoformat(timespec="seconds"), **fields}


def write_as(username: str | None, docs: list[dict]) -> list[dict]:
    with write_transaction() as conn:
        user = get_user(conn, username=username)[0] if username else None
        return write_docs(conn, docs, user)


@pytest.fixture
def home(app, world) -> dict:
    """A desa-A household with one child, and the app accepting the tests' push endpoints."""
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = True
    household = factories.household()
    child = factories.person(household=household["_id"], name="Budi Santoso", sex="L",
                             birth_date=(dt.date.today() - dt.timedelta(days=70)).isoformat())
    assert all(r.get("ok") for r in write_as("kader_a", [household, child]))
    return household


@pytest.fixture
def invite(home):
    """Draw and store an invite as kader_a's tablet would; (token, invite document)."""
    def draw(**fields) -> tuple[str, dict]:
        token = new_token()
        doc = invite_doc(home, token, **fields)
        assert write_as("kader_a", [doc])[0].get("ok")
        return token, doc
    return draw
