"""The `quality_flags` projection follows every write (backend/review/flags.py, hooked into
backend.writes.write_docs through backend/review/refresh.py): flags appear with the record's
desa and date, leave when a correction arrives or the value is edited, never stay on a merged
or deleted person, and `flask reproject` rebuilds exactly the rows the writes left."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend import writes
from backend.db import read_transaction, write_transaction
from backend.projections.tables import quality_flags
from backend.writes import save_docs
from tests import factories as f

TODAY = dt.date.today()


def months_ago(months: int, day: int = 10) -> str:
    index = TODAY.year * 12 + TODAY.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day).isoformat()


def saved(docs: list[dict]) -> dict[str, str]:
    results = save_docs(docs, None)
    assert all(r.get("ok") for r in results), results
    return {r["id"]: r["rev"] for r in results}


def flags(person: dict) -> list[tuple]:
    with read_transaction() as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(quality_flags.c.doc_id, quality_flags.c.rule, quality_flags.c.desa,
                      quality_flags.c.date, quality_flags.c.field)
            .where(quality_flags.c.person_id == person["_id"])
            .order_by(quality_flags.c.date, quality_flags.c.doc_id, quality_flags.c.rule))]


def measured(person: dict, months: int, cm: float, **fields) -> dict:
    return f.encounter(person, date=months_ago(months), setting="pustu",
                       measurements={"height_cm": cm, "length_or_height": "lying"}, **fields)


def child() -> dict:
    return f.person(name="Bayu", sex="L", birth_date=months_ago(14, day=1))


def test_a_shrinking_height_is_flagged_on_write_and_its_correction_clears_it(world):
    bayu = child()
    first, second = measured(bayu, 3, 71), measured(bayu, 2, 68)
    saved([bayu, first, second])
    assert flags(bayu) == [(second["_id"], "tinggi_menyusut", f.DESA_A,
                            dt.date.fromisoformat(second["date"]), "measurements.height_cm")]
    with read_transaction() as conn:
        detail = conn.execute(sa.select(quality_flags.c.detail)).scalar_one()
    assert detail.startswith("Tinggi 68 cm, sebelumnya 71 cm pada ")

    saved([measured(bayu, 2, 71.5, corrects=second["_id"])])
    assert flags(bayu) == []


def test_a_nik_flag_is_dated_by_registration_and_leaves_when_the_nik_is_fixed(world):
    siti = f.person(name="Siti", sex="P", birth_date="1987-11-12", nik="3602041211870001")
    revs = saved([siti])
    registered = dt.date.fromisoformat(f.TS[:10])
    assert flags(siti) == [(siti["_id"], "nik_jenis_kelamin", f.DESA_A, registered, "sex")]
    saved([{**siti, "nik": "3602045211870001", "_rev": revs[siti["_id"]]}])
    assert flags(siti) == []


def test_a_flag_follows_the_person_to_another_desa_and_a_deleted_person_keeps_none(world):
    bayu = child()
    revs = saved([bayu, measured(bayu, 3, 71), measured(bayu, 2, 68)])
    moved = {**bayu, "desa": f.DESA_B, "_rev": revs[bayu["_id"]]}
    revs = saved([moved])
    # the visits keep their own desa (the replication key they were written with)
    assert [row[2] for row in flags(bayu)] == [f.DESA_A]
    saved([{"_id": bayu["_id"], "_rev": revs[bayu["_id"]], "_deleted": True}])
    assert flags(bayu) == []


def test_a_person_merged_into_another_carries_no_flags(world):
    survivor, duplicate = child(), child()
    revs = saved([survivor, duplicate, measured(duplicate, 3, 71), measured(duplicate, 2, 68)])
    assert len(flags(duplicate)) == 1
    saved([{**duplicate, "merged_into": survivor["_id"], "_rev": revs[duplicate["_id"]]}])
    assert flags(duplicate) == []


def test_a_pregnancy_without_hpht_is_dated_by_the_day_it_was_recorded(world):
    ibu = f.person(name="Ani", sex="P", birth_date="1995-03-02")
    pregnancy = f.pregnancy(ibu)
    del pregnancy["hpht"]
    saved([ibu, pregnancy])
    assert flags(ibu) == [(pregnancy["_id"], "hamil_tanpa_hpht", f.DESA_A,
                           dt.date.fromisoformat(f.TS[:10]), "hpht")]


def test_reproject_equals_incremental_on_the_demo(demo_app):
    def snapshot() -> list[tuple]:
        with read_transaction() as conn:
            return sorted(tuple(str(v) for v in row) for row in conn.execute(
                sa.select(*[c for c in quality_flags.columns if c.name != "id"])))

    incremental = snapshot()
    assert incremental, "the demo has records the rules flag"
    with write_transaction() as conn:
        writes.rebuild_projections(conn)
    assert snapshot() == incremental
