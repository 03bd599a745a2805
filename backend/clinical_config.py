"""The clinical knowledge of this installation, loaded once per app from ILP_CONFIG_DIR."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from backend.clinical import load_config


def ilp_config() -> dict:
    cache = current_app.extensions.setdefault("siklus.ilp", {})
    directory = current_app.config["ILP_CONFIG_DIR"]
    if directory not in cache:
        cache[directory] = load_config(Path(directory))
    return cache[directory]
