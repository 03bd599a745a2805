"""Secrets are generated into instance/ on first run, private to the owner, then reused."""

from __future__ import annotations

import base64
import multiprocessing
import stat

from cryptography.hazmat.primitives import serialization

from backend import create_app
from backend.instance_secrets import ensure_secrets


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


def _ensure_in_child(instance_path, barrier, results):
    barrier.wait()
    results.put(ensure_secrets(instance_path)["SECRET_KEY"])


def test_processes_starting_together_share_one_set_of_keys(tmp_path):
    """`make run` starts the web app and the worker at once: neither may crash or differ."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    children = [context.Process(target=_ensure_in_child, args=(str(tmp_path), barrier, results))
                for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0, 0, 0, 0]
    keys = {results.get(timeout=5) for _ in children}
    assert len(keys) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secrets.json"]
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
