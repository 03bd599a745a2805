"""The in-process write path: what checking references costs a 200-document push.

    .venv/bin/python bench/write_path.py [--rounds 15] [--database-url URL]

One desa (bench/sync.py's data: 300 households, 900 persons, a Posyandu) is stored first. Then
each round writes two replicated batches (`new_edits=false`, as PouchDB pushes) through
`backend.sync.store.bulk_write` with the app's options and projector, in one transaction each:
200 new encounters of stored persons, and 50 new persons with 150 encounters of them (every
reference inside the batch). Each batch is written once with the write policy as it runs
(`ScopedPolicy`, references checked) and once with the reference run: the same policy with the
reference check switched off. The two alternate, so a busy machine slows both alike. Prints the
minimum and median CPU milliseconds per batch (PostgreSQL's own work is not counted) and their
ratios; writes bench/results/write_path.txt. A
measurement, not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app, projections  # noqa: E402
from backend.db import write_transaction  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.sync.policy import ScopedPolicy  # noqa: E402
from backend.sync.store import bulk_write  # noqa: E402
from backend.sync.write_policy import WritePolicy  # noqa: E402
from backend.writes import options, write_docs  # noqa: E402
from bench.sync import DESA, Docs, places  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "write_path.txt"


class UncheckedReferences(ScopedPolicy):
    """The reference run: the write policy without the reference check."""

    def begin(self, conn, batch, stored_body) -> None:
        return None

    def _broken_reference(self, incoming):
        return None


def replicated(docs: list[dict]) -> list[dict]:
    """As PouchDB pushes them: an existing revision with its history."""
    revs = [uuid.uuid4().hex for _ in docs]
    return [{**doc, "_rev": f"1-{rev}", "_revisions": {"start": 1, "ids": [rev]}}
            for doc, rev in zip(docs, revs, strict=True)]


def timed(docs: list[dict], policy: WritePolicy) -> float:
    """CPU milliseconds of this process for one batch: SQLite runs in-process, and on a machine
    shared with other work the CPU time moves far less than the wall clock."""
    started = time.process_time()
    with write_transaction() as conn:
        results = bulk_write(conn, docs, new_edits=False, policy=policy, options=options(),
                             projector=projections.project)
    elapsed = time.process_time() - started
    refused = [r for r in results if "error" in r]
    assert not refused, refused[:3]
    return elapsed * 1000


def batches(village: Docs) -> dict[str, Callable[[], list[dict]]]:
    def visits() -> list[dict]:
        return replicated([village.encounter(village.rng.choice(village.persons))
                           for _ in range(200)])

    def family_day() -> list[dict]:
        households = village.rng.sample(village.households, 50)
        persons = [village.person(h) for h in households]
        encounters = [village.encounter(village.rng.choice(persons)) for _ in range(150)]
        return replicated(encounters + persons)   # every reference points forward

    return {"200 encounters of stored persons": visits,
            "50 persons + 150 of their encounters": family_day}


def run(rounds: int, database_url: str | None) -> str:
    work = Path(tempfile.mkdtemp(prefix="siklus-bench-write-"))
    os.environ["SIKLUS_INSTANCE_PATH"] = str(work / "instance")
    url = database_url or f"sqlite:///{work / 'siklus.db'}"
    app = create_app({"DATABASE_URL": url})
    village = Docs(DESA[0], random.Random(7))
    with app.app_context():
        upgrade(app.extensions["siklus.engine"])
        village.households = [village.household() for _ in range(300)]
        village.persons = [village.person(village.rng.choice(village.households))
                           for _ in range(900)]
        with write_transaction() as conn:
            for chunk in (places([village]), village.households, village.persons):
                assert all("ok" in r for r in write_docs(conn, chunk, None))
        lines = [f"write path, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
                 f"{platform.python_version()}, {url.split(':')[0]}, {rounds} rounds, "
                 f"load average {os.getloadavg()[0]:.1f}"]
        for name, make in batches(village).items():
            checked, reference = [], []
            for _ in range(rounds):
                reference.append(timed(make(), UncheckedReferences(None)))
                checked.append(timed(make(), ScopedPolicy(None)))
            # The minimum is the least disturbed run on a shared machine; the median for scale.
            for label, pick in (("min", min), ("median", statistics.median)):
                ref_ms, new_ms = pick(reference), pick(checked)
                lines.append(f"{name} ({label}): reference run {ref_ms:.1f} ms, references "
                             f"checked {new_ms:.1f} ms CPU per batch, "
                             f"ratio {new_ms / ref_ms:.2f}")
    app.extensions["siklus.engine"].dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    report = run(args.rounds, args.database_url)
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(report + "\n\n")


if __name__ == "__main__":
    main()
