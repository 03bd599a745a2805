"""Secrets are generated into instance/ on first run, private to the owner, then reused."""

from __future__ import annotations

import base64
import stat

from cryptography.hazmat.primitives import serialization

from backend import create_app


def test_first_run_generates_secret_key_and_vapid_pair(tmp_path, monkeypatch):
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    secrets_file = tmp_path / "secrets.json"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 48
    key = serialization.load_pem_private_key(first.config["VAPID_PRIVATE_KEY"].encode(), None)
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    padded = first.config["VAPID_PUBLIC_KEY"] + "=" * (-len(first.config["VAPID_PUBLIC_KEY"]) % 4)
    assert base64.urlsafe_b64decode(padded) == public and len(public) == 65


def test_configured_secret_wins_over_generated_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SIKLUS_SECRET_KEY", "from-the-environment")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"] == "from-the-environment"
