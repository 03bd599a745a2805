"""Generated demos shared by every test of a session that reads the same one.

`generate_documents` is pure and deterministic (tests/review/test_duplicates_demo.py checks
it), and a full kecamatan costs seconds; several modules read the same scale, seed and day.
The documents are shared: a test that changes them works on a `copy.deepcopy`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from backend.demo import generate_documents


@cache
def demo_documents(scale: float, seed: int, today: dt.date) -> list[dict]:
    return generate_documents(scale=scale, seed=seed, today=today)
