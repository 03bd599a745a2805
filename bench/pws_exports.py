"""Benchmark the PWS exports on a seeded demo: the monthly evaluation (JSON and XLSX) over every
desa, and one desa's Kohort Bayi/Balita and Kohort Ibu (rows and XLSX).

Figures are medians of --repeat runs on a warm connection, wall time in ms; the evaluation is
built on compute.board (bench/pws.py times the board itself), so its figure minus the board's
is what the evaluation adds. Sizes are the workbooks' bytes.

Run from the project root: `.venv/bin/python bench/pws_exports.py [--database-url URL]
[--scale 1] [--repeat 5]`; without a URL (or on an empty database) the demo is seeded first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from backend.db import read_transaction  # noqa: E402
from backend.projections.tables import persons, places  # noqa: E402
from backend.pws import compute, evaluation, kohort, xlsx  # noqa: E402
from backend.pws.months import current_month  # noqa: E402
from bench.demo_db import demo_app  # noqa: E402


def timed(repeat: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def run(database_url: str | None, scale: float, repeat: int) -> str:
    app = demo_app(database_url, scale, "siklus-bench-exports-")
    lines = []
    with app.app_context(), read_transaction() as conn:
        desa = tuple(sorted(conn.execute(sa.select(places.c.code)
                                         .where(places.c.kind == "desa")).scalars()))
        people = conn.execute(sa.select(sa.func.count()).select_from(persons)).scalar()
        month = current_month().previous
        lines.append(f"{len(desa)} desa, {people} persons, month {month}, median of {repeat}")
        board_ms, _ = timed(repeat, lambda: compute.board(conn, desa, month))
        report_ms, report = timed(repeat, lambda: evaluation.report(conn, desa, month))
        book_ms, book = timed(repeat, lambda: xlsx.evaluation_workbook(report))
        lines.append(f"board (for reference)       {board_ms:7.0f} ms")
        lines.append(f"evaluation report           {report_ms:7.0f} ms")
        lines.append(f"evaluation workbook         {book_ms:7.0f} ms  {len(book) / 1024:.0f} KiB")
        lines.append(f"evaluation JSON + XLSX      {report_ms + book_ms:7.0f} ms")
        year = month.year
        balita_ms, balita = timed(repeat, lambda: kohort.kohort_balita(conn, desa[0], year, desa))
        balita_book_ms, balita_book = timed(repeat, lambda: xlsx.kohort_workbook(balita))
        ibu_ms, ibu = timed(repeat, lambda: kohort.kohort_ibu(conn, desa[0], year, desa))
        ibu_book_ms, ibu_book = timed(repeat, lambda: xlsx.kohort_workbook(ibu))
        rows = {s.key: len(s.rows) for s in balita.sections + ibu.sections}
        lines.append(f"kohort balita {desa[0]} {year} {balita_ms:7.0f} ms  rows {rows}")
        lines.append(f"kohort balita workbook      {balita_book_ms:7.0f} ms  "
                     f"{len(balita_book) / 1024:.0f} KiB")
        lines.append(f"kohort ibu                  {ibu_ms:7.0f} ms")
        lines.append(f"kohort ibu workbook         {ibu_book_ms:7.0f} ms  "
                     f"{len(ibu_book) / 1024:.0f} KiB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(run(args.database_url, args.scale, args.repeat))


if __name__ == "__main__":
    main()
