"""Generate the secret key and VAPID key pair into instance/ on first run; never committed."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

SECRETS_FILE = "secrets.json"


def _new_vapid_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private_pem, base64.urlsafe_b64encode(public_raw).rstrip(b"=").decode()


def ensure_secrets(instance_path: str) -> dict[str, str]:
    """Read instance/secrets.json, creating it (mode 0600) with fresh keys when missing."""
    path = Path(instance_path) / SECRETS_FILE
    if path.is_file():
        return json.loads(path.read_text())
    private_pem, public_b64 = _new_vapid_pair()
    data = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "VAPID_PRIVATE_KEY": private_pem,
        "VAPID_PUBLIC_KEY": public_b64,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    return data
