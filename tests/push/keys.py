"""The browser's side of a push subscription, made by the tests (docs/push.md, "Sending").

A browser's `pushManager.subscribe()` makes a P-256 key pair and a 16-byte auth secret and hands
the server their public half with the endpoint. Here both halves come from a `seed` string: the
same seed always gives the same keys, so the local push service (tests/push/receiver.py) finds
the private key of any endpoint from its path alone, even when it runs in another process.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

# The order of P-256's group: a private scalar lies in [1, n - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class BrowserKeys:
    private_key: ec.EllipticCurvePrivateKey
    p256dh: str   # base64url of the uncompressed public point, as the browser sends it
    auth: str     # base64url of the 16-byte auth secret
    auth_secret: bytes


@lru_cache(maxsize=65536)
def browser_keys(seed: str) -> BrowserKeys:
    """The key pair and auth secret of the subscription named `seed`."""
    digest = hashlib.sha256(b"p256:" + seed.encode()).digest()
    scalar = int.from_bytes(digest, "big") % (_P256_ORDER - 1) + 1
    private_key = ec.derive_private_key(scalar, ec.SECP256R1())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    auth_secret = hashlib.sha256(b"auth:" + seed.encode()).digest()[:16]
    return BrowserKeys(private_key, b64url(public), b64url(auth_secret), auth_secret)


def subscription(origin: str, seed: str | None = None) -> dict:
    """A `PushSubscription.toJSON()` whose endpoint is `<origin>/push/<seed>` (a fresh seed
    when none is given)."""
    seed = seed or uuid.uuid4().hex
    keys = browser_keys(seed)
    return {"endpoint": f"{origin}/push/{seed}", "expirationTime": None,
            "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}
