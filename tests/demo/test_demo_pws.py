"""The seeded demo as PWS sees it: official sasaran for every desa through the real import, the
three denominator sources on the board, and desa in all four PWS-KIA statuses this month.

The clock is frozen on a fixed day (the demo's last day of records and the Puskesmas's today),
so the statuses are the same on every run; `seed-demo` on any other day draws the same kind of
spread (docs/demo.md, "PWS").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import sqlalchemy as sa

from backend import clock
from backend.audit.tables import audit_log
from backend.db import read_transaction
from backend.demo import sasaran as demo_sasaran
from backend.demo import seed
from backend.pws.compute import board
from backend.pws.months import Month
from backend.pws.status import STATUSES
from backend.pws.tables import sasaran

DAY = dt.date(2026, 11, 20)
MAIN = ("k1", "k4", "idl", "ds")


@pytest.fixture
def seeded(app, monkeypatch):
    monkeypatch.setattr(clock, "_utc_source",
                        lambda: dt.datetime.combine(DAY, dt.time(3), tzinfo=dt.UTC))
    report = seed(scale=1, seed=1, today=DAY)
    with read_transaction() as conn:
        codes = sorted(conn.execute(sa.select(sasaran.c.desa).distinct()).scalars())
        result = board(conn, codes, Month.of(DAY))
    return report, codes, result


# SQLite only: what is asserted is the demo's content, which the database does not change;
# seeding a full kecamatan on PostgreSQL cost 50 s more. The seed's write path on PostgreSQL
# is test_seed.py's, the board's queries on it tests/pws/test_compute*.py's.
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_demo_loads_sasaran_and_lands_desa_in_all_four_statuses(seeded):
    report, codes, result = seeded
    assert len(codes) == 8
    assert "Sasaran resmi (PWS):" in report
    with read_transaction() as conn:
        rows = conn.execute(sa.select(sasaran)).all()
        imports = conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                               .where(audit_log.c.action == "sasaran.import")).scalar_one()
    assert imports == 2   # last year and this year, one CSV each
    assert {r.year for r in rows} == {DAY.year - 1, DAY.year}
    assert {r.imported_by for r in rows} == {demo_sasaran.IMPORTED_BY}
    figures = {(r.desa, r.year, r.target_group): r.value for r in rows}
    for code in codes:
        assert figures[(code, DAY.year, "penduduk")] > 500
        # bumil = 1.1 × lahir hidup, the pws.json convention the Dinkes applies
        births = figures[(code, DAY.year, "lahir_hidup")]
        assert abs(figures[(code, DAY.year, "bumil")] - 1.1 * births) <= 0.5

    cells = defaultdict(dict)
    for cell in result["cells"]:
        cells[cell["indicator"]][cell["desa"]] = cell
    # every denominator source a user can meet: official, convention, registered
    sources = {c["denominator_source"] for by_desa in cells.values() for c in by_desa.values()}
    assert {"resmi", "konvensi", "terdaftar", "terukur"} <= sources
    assert {c["denominator_source"] for c in cells["hipertensi"].values()} == {"konvensi"}

    # desa both above and below the target line on the main indicators
    statuses = {ind: {c["status"] for c in cells[ind].values()} for ind in MAIN}
    assert set().union(*statuses.values()) >= set(STATUSES), statuses
    complete = [ind for ind, by_desa in cells.items()
                if {c["status"] for c in by_desa.values()} >= set(STATUSES)]
    assert set(complete) & set(MAIN), (complete, statuses)
