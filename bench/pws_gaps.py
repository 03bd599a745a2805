"""PWS drill-down figures (backend/pws/drilldown.py) on the demo, printed, not asserted.

Loads the demo (scale 1: 8 desa, about 6,000 persons) into a fresh SQLite file (or reuses
--db), then for every indicator and every desa of the current month times the drill-down as
the API runs it: the capped list query, the gap count and the words of what is missing
(the due list of the clinical evaluator for the persons listed). Prints per indicator the
median and worst time and the persons listed / in the gap; the target is < 100 ms.

Run from the project root: `.venv/bin/python bench/pws_gaps.py [--scale 1] [--repeat 3]
[--db /tmp/pws_demo.db]`; results are also written to bench/results/pws_gaps.json.
The numbers count whatever facts the projections hold: on a branch without the PWS facts
projector the numerators are empty, so every registered member is in the gap (the largest
lists, the slowest case).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from backend.clinical_config import ilp_config  # noqa: E402
from backend.db import read_transaction  # noqa: E402
from backend.projections.tables import places  # noqa: E402
from backend.pws.catalogue import catalogue  # noqa: E402
from backend.pws.drilldown import DEFAULT_LIMIT, drilldown  # noqa: E402
from backend.pws.months import current_month  # noqa: E402
from bench.demo_db import demo_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="SQLite file to reuse (seeded when new)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                        help="persons listed (the API's default unless given)")
    args = parser.parse_args()
    app = demo_app(f"sqlite:///{args.db}" if args.db else None, args.scale,
                   "siklus-bench-gaps-")
    with app.app_context():
        run(args.repeat, args.limit)


def run(repeat: int, limit: int) -> None:
    config, cat, month = ilp_config(), catalogue(), current_month()
    with read_transaction() as conn:
        desa = sorted(conn.execute(sa.select(places.c.code).where(places.c.kind == "desa"))
                      .scalars())
    results = {}
    print(f"month {month}, {len(desa)} desa, limit {limit}, median and worst of {repeat} runs "
          "per desa")
    print(f"{'indicator':16} {'median ms':>9} {'worst ms':>9} {'listed':>7} {'gap':>6}")
    for indicator in cat.indicators:
        times, listed, total = [], 0, 0
        for code in desa:
            for _ in range(repeat):
                started = time.perf_counter()
                with read_transaction() as conn:
                    gap = drilldown(conn, config, cat, indicator, code, month, limit)
                times.append((time.perf_counter() - started) * 1000)
            listed, total = max(listed, len(gap.persons)), max(total, gap.total)
        results[indicator.id] = {"median_ms": round(statistics.median(times), 1),
                                 "worst_ms": round(max(times), 1), "max_listed": listed,
                                 "max_gap": total}
        print(f"{indicator.id:16} {statistics.median(times):9.1f} {max(times):9.1f} "
              f"{listed:7d} {total:6d}")
    every = [r["median_ms"] for r in results.values()]
    print(f"all indicators: median of medians {statistics.median(every):.1f} ms, "
          f"worst median {max(every):.1f} ms (target < 100 ms)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pws_gaps.json").write_text(json.dumps(
        {"month": str(month), "desa": len(desa), "repeat": repeat, "limit": limit,
         "indicators": results},
        indent=1))


if __name__ == "__main__":
    main()
