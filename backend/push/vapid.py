"""The server's VAPID identity (RFC 8292): its key pair from instance/secrets.json and the `sub`
contact, checked once when the sender starts, and a fresh set of claims for every push.

pywebpush writes `aud` and `exp` into the claims dict it is given, so one dict reused across push
services would carry the first service's `aud` (403 from the next). Here every push gets a new
dict with its own `aud` (the endpoint's origin) and an `exp` 12 hours ahead (Apple refuses more
than 24 h). Apple also refuses a `sub` of `mailto:…@localhost`, so a localhost contact is
refused here, loudly, before anything is sent.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

EXP_SECONDS = 12 * 3600     # well inside the 24 h push services accept
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "127.0.0.1", "::1", "[::1]"}


class VapidConfigError(RuntimeError):
    """The VAPID settings cannot sign a push; the message says which setting to fix."""


@dataclass(frozen=True)
class Identity:
    private_key: ec.EllipticCurvePrivateKey
    public_key: str     # base64url uncompressed point, as the browser's applicationServerKey
    subject: str


def check_subject(subject: object) -> str:
    """VAPID_SUBJECT as the `sub` claim, or VapidConfigError: a `mailto:` address or an https
    URL, whose host is not localhost."""
    if not isinstance(subject, str) or not subject.strip():
        raise VapidConfigError("VAPID_SUBJECT is empty: set a mailto: address or an https URL "
                               "where push services can reach the Puskesmas")
    subject = subject.strip()
    if subject.lower().startswith("mailto:"):
        address = subject[len("mailto:"):]
        local, at, host = address.rpartition("@")
        if not at or not local or not host or " " in address:
            raise VapidConfigError(f"VAPID_SUBJECT={subject!r} is not a mailto: address")
    elif subject.lower().startswith("https://"):
        host = urlsplit(subject).hostname or ""
        if not host:
            raise VapidConfigError(f"VAPID_SUBJECT={subject!r} is not an https URL")
    else:
        raise VapidConfigError(f"VAPID_SUBJECT={subject!r} must be a mailto: address or an "
                               "https URL")
    if host.lower().rstrip(".") in LOCAL_HOSTS or host.lower().endswith(".localhost"):
        raise VapidConfigError(f"VAPID_SUBJECT={subject!r} names localhost: push services "
                               "(Apple's) refuse it; give a contact they can reach")
    return subject


def identity(config) -> Identity:
    """The VAPID identity in an app's config, checked; VapidConfigError when it cannot sign."""
    pem = config.get("VAPID_PRIVATE_KEY")
    if not pem:
        raise VapidConfigError("VAPID_PRIVATE_KEY is not set (instance/secrets.json holds one "
                               "generated on first run)")
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise VapidConfigError("VAPID_PRIVATE_KEY is not a PEM private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidConfigError("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key")
    public = base64.urlsafe_b64encode(key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint,
    )).rstrip(b"=").decode()
    configured = config.get("VAPID_PUBLIC_KEY")
    if configured and configured.rstrip("=") != public:
        raise VapidConfigError("VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY: "
                               "browsers subscribed with it would refuse every push")
    return Identity(key, public, check_subject(config.get("VAPID_SUBJECT")))


def claims(endpoint: str, subject: str, now: float | None = None) -> dict:
    """A fresh claims dict for one push to `endpoint`."""
    parts = urlsplit(endpoint)
    return {"aud": f"{parts.scheme}://{parts.netloc}", "sub": subject,
            "exp": int(now if now is not None else time.time()) + EXP_SECONDS}
