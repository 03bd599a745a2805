"""The in-process write path: what checking references and deriving follow-up cost a push.

    .venv/bin/python bench/write_path.py [--rounds 15] [--database-url URL]

One desa (bench/sync.py's data: 300 households, 900 persons, a Posyandu) is stored first. Then
each round writes two replicated batches (`new_edits=false`, as PouchDB pushes) through
`backend.sync.store.bulk_write` with the app's options and projector, in one transaction each:
200 new encounters of stored persons, and 50 new persons with 150 encounters of them (every
reference inside the batch). Each batch is written once with the write policy as it runs
(`ScopedPolicy`, references checked) and once with the reference run: the same policy with the
reference check switched off. The two alternate, so a busy machine slows both alike.

Then the follow-up derivation (docs/followup.md): the same kinds of batch written through
`backend.writes.write_docs` (store, then the findings of every new encounter evaluated and their
tasks written in the same transaction) against the store alone with the same policy and
projector (the write path before derivation). Half the encounters carry a blood pressure, up
to 170/95: about a fifth of those find hypertension, and a person's first one becomes a task.

Prints the minimum and median CPU milliseconds per batch (PostgreSQL's own work is not counted)
and their ratios; writes bench/results/write_path.txt. A measurement, not a test: nothing
asserts.
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

import sqlalchemy as sa  # noqa: E402

from backend import create_app, projections  # noqa: E402
from backend.db import read_transaction, write_transaction  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.projections.tables import tasks  # noqa: E402
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


def timed_write(docs: list[dict], derive: bool) -> float:
    """CPU milliseconds of one batch through the app's write path (`derive`) or the store alone
    with the same policy and projector."""
    started = time.process_time()
    with write_transaction() as conn:
        if derive:
            results = write_docs(conn, docs, None, new_edits=False)
        else:
            results = bulk_write(conn, docs, new_edits=False, policy=ScopedPolicy(None),
                                 options=options(), projector=projections.project)
    elapsed = time.process_time() - started
    assert not [r for r in results if "error" in r]
    return elapsed * 1000


def recent(village: Docs, docs: list[dict]) -> list[dict]:
    """The batch's visits moved into the last 60 days, where visits derive follow-up on write
    (setting FOLLOWUP_HORIZON_DAYS): every one of them is evaluated."""
    for doc in docs:
        if doc["type"] == "encounter":
            day = dt.date.today() - dt.timedelta(days=village.rng.randint(0, 60))
            doc["date"] = day.isoformat()
    return docs


def task_count() -> int:
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one()


def compare(lines: list[str], name: str, runs: dict[str, list[float]], what: str) -> None:
    """One line per pick: the reference run, the measured one and their ratio."""
    (ref_label, reference), (new_label, measured) = runs.items()
    # The minimum is the least disturbed run on a shared machine; the median for scale.
    for label, pick in (("min", min), ("median", statistics.median)):
        ref_ms, new_ms = pick(reference), pick(measured)
        lines.append(f"{name} ({label}): {ref_label} {ref_ms:.1f} ms, {new_label} "
                     f"{new_ms:.1f} ms CPU per batch, {what} ratio {new_ms / ref_ms:.2f}")


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
            runs: dict[str, list[float]] = {"reference run": [], "references checked": []}
            for _ in range(rounds):
                runs["reference run"].append(timed(make(), UncheckedReferences(None)))
                runs["references checked"].append(timed(make(), ScopedPolicy(None)))
            compare(lines, name, runs, "reference check")
        for name, make in batches(village).items():
            runs = {"without derivation": [], "with derivation": []}
            before = task_count()
            for _ in range(rounds):
                runs["without derivation"].append(timed_write(recent(village, make()), False))
                runs["with derivation"].append(timed_write(recent(village, make()), True))
            compare(lines, name, runs, "derivation")
            lines.append(f"{name}: {(task_count() - before) / rounds:.1f} tasks derived per "
                         f"batch on average")
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
