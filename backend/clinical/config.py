"""Load the versioned clinical knowledge in config/ilp (JS twin: config.js).

The evaluators take this plain dict as their first argument and never read files themselves,
so they stay pure and the same JSON drives the server and the offline PWA.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from backend.clinical.reminder_rules import check_reminders
from backend.clinical.tables import who_tables

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config" / "ilp"


def load_config(directory: Path | None = None, with_tables: bool = True) -> dict:
    """Every file listed in manifest.json, keyed by its manifest name, plus `version` and `who`."""
    directory = directory or CONFIG_DIR
    manifest = _read(directory / "manifest.json")
    config: dict = {"version": manifest["version"], "manifest": manifest}
    for name, entry in manifest["files"].items():
        data = _read(directory / entry["file"])
        if data.get("version") != entry["version"]:
            raise ValueError(f"{entry['file']}: version {data.get('version')} but manifest "
                             f"says {entry['version']}")
        config[name] = data
    if "reminders" in config:
        check_reminders(config)
    if with_tables:
        config["who"] = who_tables()
    return config


@lru_cache(maxsize=1)
def default_config() -> dict:
    """The repository's config/ilp with WHO tables, loaded once per process."""
    return load_config()


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
