"""Benchmark the PWS board: every indicator × desa for the 12 months ending this month, on the
demo Puskesmas, set-based SQL (backend/pws/compute.py) against the same numbers counted person
by person in Python (tests/pws/reference.py), asserting both agree on every cell.

Figures (median of --repeat runs, a warm connection):
* one board: `compute.board` for the current month (what GET /api/v1/pws/board does);
* 12 boards: `compute.board` for each of the 12 months;
* 12 months, one load: one `compute.Engine` over the 12 months, then each month's cells
  (how the trend and the evaluation report read several months);
* reference: the person-by-person Python count of the same 12 months (rows read once).
Each figure is printed as wall time and as this process's CPU time (see `timed`).

Targets (docs/pws.md, "Computation"): 12 months < 200 ms on the scale-1 demo on SQLite,
< 2 s on the scale-10 demo on PostgreSQL.

Run from the project root:
  .venv/bin/python bench/pws.py [--database-url URL] [--scale 1] [--repeat 5]
Without --database-url a fresh SQLite file is seeded with the demo at --scale (about 90 s at
scale 1 on a busy 2-core machine); with one that holds no documents, it is seeded there.
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

from backend.db import read_transaction  # noqa: E402
from backend.projections.tables import growth_points, persons, places, pws_events  # noqa: E402
from backend.pws import compute  # noqa: E402
from backend.pws.catalogue import catalogue  # noqa: E402
from backend.pws.months import current_month, months_ending  # noqa: E402
from bench.demo_db import demo_app  # noqa: E402
from tests.pws import reference  # noqa: E402


def timed(repeat: int, work) -> tuple[tuple[float, float], object]:
    """((median wall seconds, median CPU seconds of this process), last result) of `repeat`
    runs of `work()`. On a shared machine the wall time includes waiting for a CPU; SQLite
    runs in this process, so its CPU time is the cost itself (PostgreSQL's is the server's
    and only shows in the wall time)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def ms(figure: tuple[float, float]) -> str:
    return f"{figure[0] * 1000:8.1f} ms wall, {figure[1] * 1000:8.1f} ms CPU"


def cells_of(board_cells: list[dict]) -> dict:
    return {(c["indicator"], c["desa"]): (c["num_month"], c["num_cum"], c["denominator"],
                                          c["denominator_source"]) for c in board_cells}


def count(conn, table) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def run(database_url: str | None, scale: float, repeat: int) -> str:
    app = demo_app(database_url, scale, "siklus-bench-pws-")
    with app.app_context():
        source = f"demo at scale {scale:g}" if database_url is None else "given database"
        if app.extensions["siklus.engine"].dialect.name == "postgresql":
            # Fresh statistics, as autovacuum keeps them on a server in use: right after a
            # seed the planner still thinks the fact tables are empty.
            with app.extensions["siklus.engine"].begin() as conn:
                conn.execute(sa.text("ANALYZE"))
        cat = catalogue()
        months = months_ending(current_month(), 12)
        with read_transaction() as conn:
            desa = tuple(sorted(code for (code,) in conn.execute(
                sa.select(places.c.code).where(places.c.kind == "desa"))))
            sizes = {name: count(conn, table) for name, table in (
                ("persons", persons), ("pws_events", pws_events),
                ("growth_points", growth_points))}
            one, _ = timed(repeat, lambda: compute.board(conn, desa, months[-1]))
            twelve, boards = timed(repeat, lambda: [compute.board(conn, desa, m)
                                                    for m in months])

            def one_load():
                engine = compute.Engine(conn, desa, months, cat.indicators, cat)
                return [compute.board_cells(engine, m)[0] for m in months]

            loaded, cells = timed(repeat, one_load)

            def by_person():
                rows = reference.Rows(conn, desa)
                return [reference.numbers(cat, rows, desa, m, cat.indicators) for m in months]

            slow, expected = timed(1, by_person)
        for month, board, engine_cells, want in zip(months, boards, cells, expected,
                                                    strict=True):
            assert cells_of(board["cells"]) == want, f"SQL and reference disagree in {month}"
            assert cells_of(engine_cells) == want, f"one-load engine disagrees in {month}"
        dialect = app.extensions["siklus.engine"].dialect.name
        lines = [
            f"PWS board, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, Python "
            f"{platform.python_version()}, {dialect}, {source}, {len(desa)} desa, "
            f"{len(cat.indicators)} indicators, months {months[0]}..{months[-1]}, "
            f"load average {os.getloadavg()[0]:.1f}",
            "rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()),
            f"one board (1 month):            {ms(one)}",
            f"12 boards (12 × compute.board): {ms(twelve)}",
            f"12 months, one Engine load:     {ms(loaded)}",
            f"person by person in Python:     {ms(slow)} "
            f"({slow[0] / loaded[0]:.0f} × the one-load 12 months, wall)",
            f"all {len(months) * len(desa) * len(cat.indicators):,} cells agree with the "
            "person-by-person count",
        ]
        return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(run(args.database_url, args.scale, args.repeat))


if __name__ == "__main__":
    main()
