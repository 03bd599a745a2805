"""Benchmark the review of synced records (docs/review.md, "Speed"): duplicate detection over
the whole demo, against the naive all-pairs comparison in the same run, and the review
queue's first page.

Figures:
* detection: `backend.review.duplicates.detect_all` over every person of the demo (blocked:
  NIK, family, desa + name word + birth-date window), wall time and persons per second,
  median of --repeat runs, each with the comparison's memo caches emptied first (as a
  rebuild meets them; the warm figure is printed beside it);
* naive: `naive_pairs` (every pair compared) over the first --naive-desa desa, and the
  blocked detection over the same desa, so the ratio is of one input in one run; the naive
  time of the whole demo is extrapolated from it (its cost grows with the square of the
  persons) and printed as such. The blocked pairs of those desa must equal the naive ones;
* queue: the first page of `backend.review.queue.queue` of every desa (what a reviewer
  opens first: GET /api/v1/review/queue?desa=),
  median and worst over --repeat rounds of every desa.

Targets (the issue): detection at scale 10 < 10 s; a queue page < 200 ms.

Run from the project root:
  .venv/bin/python bench/review.py [--scale 1 10] [--database-url URL] [--repeat 3]
Each scale runs on a SQLite file seeded once with the demo (through the write path: about a
minute at scale 1, ten at scale 10 on a busy 2-core machine) and kept in --cache for the
next run; --database-url runs one given database instead.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from backend.clinical import duplicates as compare_module  # noqa: E402
from backend.clinical_config import ilp_config  # noqa: E402
from backend.db import read_transaction  # noqa: E402
from backend.projections.tables import duplicate_pairs, persons, places, quality_flags  # noqa: E402
from backend.review import duplicates, queue  # noqa: E402
from bench.demo_db import demo_app  # noqa: E402

DETECTION_TARGET_S = 10.0
PAGE_TARGET_MS = 200.0


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def median_of(repeat: int, work) -> tuple[float, object]:
    runs = [timed(work) for _ in range(repeat)]
    return statistics.median(seconds for seconds, _ in runs), runs[-1][1]


def count(conn, table, *where) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()


def pair_keys(pairs: list[dict]) -> set[tuple[str, str]]:
    return {(pair["person_a"], pair["person_b"]) for pair in pairs}


def cold(work):
    """`work` with the comparison's memo caches emptied first (name keys, name similarity:
    backend/clinical/duplicates.py), as a rebuild after `flask reproject` meets them."""
    def run():
        for value in vars(compare_module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()
        return work()
    return run


def detection(conn, desa: list[str], repeat: int, naive_desa: int) -> list[str]:
    people = count(conn, persons, persons.c.merged_into_id.is_(None))
    blocked_s, found = median_of(repeat, cold(lambda: duplicates.detect_all(conn)))
    warm_s, _ = median_of(repeat, lambda: duplicates.detect_all(conn))
    some = desa[:naive_desa]
    subset = count(conn, persons, persons.c.merged_into_id.is_(None), persons.c.desa.in_(some))
    naive_s, naive = timed(cold(lambda: duplicates.naive_pairs(conn, some)))
    small_s, small = median_of(repeat, cold(lambda: duplicates.detect_all(conn, some)))
    missed = pair_keys(naive) - pair_keys(small)
    extra = pair_keys(small) - pair_keys(naive)
    whole = naive_s * (people / subset) ** 2 if subset else float("nan")
    verdict = "under" if blocked_s < DETECTION_TARGET_S else "OVER"
    return [
        f"detection, whole demo: {people:,} persons, {len(found):,} pairs listed, "
        f"{blocked_s:.2f} s cold ({people / blocked_s:,.0f} persons/s), {verdict} the "
        f"{DETECTION_TARGET_S:g} s target; {warm_s:.2f} s with the name caches warm",
        f"same run, {len(some)} desa ({subset:,} persons): blocked {small_s * 1000:.0f} ms, "
        f"naive all-pairs {naive_s:.2f} s ({naive_s / small_s:,.0f} × the blocked); "
        f"blocked pairs {'equal' if not missed and not extra else 'DIFFER FROM'} the naive "
        f"ones ({len(naive)} pairs; missed {len(missed)}, extra {len(extra)})",
        f"naive all-pairs over the whole demo, extrapolated (n²): {whole:,.0f} s, "
        f"{whole / blocked_s:,.0f} × the blocked detection",
    ]


def pages(conn, desa: list[str], repeat: int) -> list[str]:
    config = ilp_config()
    seconds = []
    sizes = []
    for _ in range(repeat):
        for code in desa:
            took, page = timed(lambda code=code: queue.queue(conn, config, code))
            seconds.append(took)
            sizes.append(len(page.items))
    median_ms, worst_ms = statistics.median(seconds) * 1000, max(seconds) * 1000
    verdict = "under" if worst_ms < PAGE_TARGET_MS else "OVER"
    return [f"queue first page: {len(desa)} desa × {repeat} rounds, {statistics.median(sizes):.0f}"
            f" items a page: median {median_ms:.1f} ms, worst {worst_ms:.1f} ms, {verdict} the "
            f"{PAGE_TARGET_MS:g} ms target"]


def run(database_url: str, label: str, scale: float, repeat: int, naive_desa: int) -> str:
    app = demo_app(database_url, scale, "siklus-bench-review-")
    with app.app_context():
        engine = app.extensions["siklus.engine"]
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
        with read_transaction() as conn:
            desa = sorted(code for (code,) in conn.execute(
                sa.select(places.c.code).where(places.c.kind == "desa")))
            sizes = (f"rows: persons {count(conn, persons):,}, quality_flags "
                     f"{count(conn, quality_flags):,}, duplicate_pairs "
                     f"{count(conn, duplicate_pairs):,}")
            lines = [f"Review, {label}, {engine.dialect.name}, {len(desa)} desa, "
                     f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, Python "
                     f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
                     sizes, *detection(conn, desa, repeat, naive_desa),
                     *pages(conn, desa, repeat)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--database-url", help="run on this database (seeded if empty)")
    parser.add_argument("--cache", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                        "siklus-bench-review"),
                        help="directory of the seeded SQLite demo of each scale")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-desa", type=int, default=1,
                        help="desa compared all-pairs for the naive baseline")
    args = parser.parse_args()
    if args.database_url:
        print(run(args.database_url, "given database", args.scale[0], args.repeat,
                  args.naive_desa))
        return
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    for scale in args.scale:
        url = f"sqlite:///{Path(args.cache) / f'scale-{scale:g}.db'}"
        print(run(url, f"demo at scale {scale:g}", scale, args.repeat, args.naive_desa))
        print()


if __name__ == "__main__":
    main()
