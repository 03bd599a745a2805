"""The demo database a PWS bench runs on: the given one, or a fresh SQLite file seeded here.

Shared by bench/pws.py, pws_gaps.py and pws_exports.py so `make bench` runs each of them with
no argument (a fresh scale-1 demo, about 15 s on an idle 2-core machine).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from backend import create_app
from backend.db import read_transaction
from backend.migrate import upgrade
from backend.projections.tables import persons


def demo_app(database_url: str | None, scale: float = 1.0, prefix: str = "siklus-bench-") -> Flask:
    """An app on `database_url` (default: a new SQLite file), its schema upgraded and, when it
    holds no person, the demo seeded at `scale`. Use it inside `with app.app_context()`."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("SIKLUS_INSTANCE_PATH", str(work / "instance"))
    app = create_app({"DATABASE_URL": database_url or f"sqlite:///{work / 'siklus.db'}"})
    with app.app_context():
        upgrade(app.extensions["siklus.engine"])
        with read_transaction() as conn:
            empty = conn.execute(sa.select(sa.func.count()).select_from(persons)).scalar() == 0
        if empty:
            from backend.demo import seed  # noqa: PLC0415 (heavy, only when seeding)
            started = time.perf_counter()
            seed(scale=scale, seed=1)
            print(f"seeded the demo at scale {scale:g} in {time.perf_counter() - started:.0f} s")
    return app
