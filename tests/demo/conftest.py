"""One generated demo shared by the pure tests: two desa (scale 0.25) on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tests.generated import demo_documents

TODAY = dt.date(2026, 8, 20)   # fixed, in the past, so PastDate validation holds forever
SEED = 7


class Demo:
    """The documents with the indexes the tests need."""

    def __init__(self, docs: list[dict]):
        self.docs = docs
        self.by_id = {d["_id"]: d for d in docs}
        self.by_type: dict[str, list[dict]] = defaultdict(list)
        self.encounters_of: dict[str, list[dict]] = defaultdict(list)
        for doc in docs:
            self.by_type[doc["type"]].append(doc)
            if doc["type"] == "encounter":
                self.encounters_of[doc["person"]].append(doc)

    def age_days(self, person: dict, day: dt.date = TODAY) -> int:
        return (day - dt.date.fromisoformat(person["birth_date"])).days


@pytest.fixture(scope="session")
def demo() -> Demo:
    return Demo(demo_documents(0.25, SEED, TODAY))


@pytest.fixture(scope="session")
def large_demo() -> Demo:
    """A full kecamatan (scale 1) for rates that need a few hundred children."""
    return Demo(demo_documents(1, SEED, TODAY))
