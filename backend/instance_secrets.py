"""Generate the secret key and VAPID key pair into instance/ on first run; never committed."""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
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
    """Read instance/secrets.json, creating it (mode 0600) with fresh keys when missing.

    The web app and the worker start together (`make run`) and may both find the file missing.
    Each writes its keys to a private temporary file and links it into place: the link either
    appears whole or fails because the other process won, and then the winner's keys are read.
    Nobody ever reads a half-written file, and both processes end up with the same keys.
    """
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
    fd, temporary = tempfile.mkstemp(prefix=".secrets-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return json.loads(path.read_text())
    finally:
        os.unlink(temporary)
    return data
