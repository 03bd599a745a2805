"""The facts PWS counts follow every write (backend/pws/refresh.py hooked into
backend.writes.write_docs): a corrected visit, a deleted visit and a changed birth date all
change the rows, in the write's transaction; `flask reproject` rebuilds the same rows."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend import writes
from backend.db import read_transaction, write_transaction
from backend.projections.tables import growth_points, pws_events
from backend.pws import refresh
from backend.writes import save_docs
from tests import factories as f

TODAY = dt.date.today()


def months_ago(months: int, day: int = 10) -> str:
    index = TODAY.year * 12 + TODAY.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day).isoformat()


def growth(person: dict) -> list[tuple]:
    with read_transaction() as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(growth_points.c.encounter_id, growth_points.c.date,
                      growth_points.c.weight_kg, growth_points.c.trend, growth_points.c.desa)
            .where(growth_points.c.person_id == person["_id"]).order_by(growth_points.c.date))]


def events(person: dict) -> list[tuple[str, str]]:
    with read_transaction() as conn:
        return sorted((row.event, row.date.isoformat()) for row in conn.execute(
            sa.select(pws_events.c.event, pws_events.c.date)
            .where(pws_events.c.person_id == person["_id"])))


def saved(docs: list[dict]) -> dict[str, str]:
    results = save_docs(docs, None)
    assert all(r.get("ok") for r in results), results
    return {r["id"]: r["rev"] for r in results}


def child() -> dict:
    return f.person(name="Bayu", sex="L", birth_date=months_ago(9, day=1))


def weighing(person: dict, months: int, kg: float, **fields) -> dict:
    return f.encounter(person, date=months_ago(months), measurements={"weight_kg": kg},
                       **fields)


def test_a_write_derives_the_rows_and_a_correction_replaces_them(world):
    bayu = child()
    first, second = weighing(bayu, 3, 7.0), weighing(bayu, 2, 7.6)
    saved([bayu, first, second])
    assert growth(bayu) == [
        (first["_id"], dt.date.fromisoformat(first["date"]), 7.0, "baru", f.DESA_A),
        (second["_id"], dt.date.fromisoformat(second["date"]), 7.6, "naik", f.DESA_A)]
    correction = weighing(bayu, 2, 7.05, corrects=second["_id"])
    saved([correction])
    assert [(row[0], row[2], row[3]) for row in growth(bayu)] == [
        (first["_id"], 7.0, "baru"), (correction["_id"], 7.05, "tidak_naik")]


def test_deleting_a_visit_removes_its_facts_and_what_rested_on_it(world):
    bayu = child()
    first, second = weighing(bayu, 3, 7.0), weighing(bayu, 2, 7.6)
    capsule = f.encounter(bayu, date=months_ago(2, day=12), services=[{"code": "vitamin_a"}])
    revs = saved([bayu, first, second, capsule])
    assert events(bayu) == [("vitamin_a", capsule["date"])]
    saved([{"_id": first["_id"], "_rev": revs[first["_id"]], "_deleted": True},
           {"_id": capsule["_id"], "_rev": revs[capsule["_id"]], "_deleted": True}])
    assert [(row[0], row[3]) for row in growth(bayu)] == [(second["_id"], "baru")]
    assert events(bayu) == []


def test_a_changed_birth_date_changes_the_rows(world):
    bayu = child()
    capsule = f.encounter(bayu, date=months_ago(2, day=12), services=[{"code": "vitamin_a"}])
    revs = saved([bayu, capsule])
    assert events(bayu) == [("vitamin_a", capsule["date"])]      # at 7 months
    younger = {**bayu, "birth_date": months_ago(7, day=1), "_rev": revs[bayu["_id"]]}
    saved([younger])
    assert events(bayu) == []                                     # at 5 months: too young
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(pws_events)).scalar() == 0


def test_a_person_moving_desa_takes_the_facts_along_and_a_deleted_person_keeps_none(world):
    bayu = child()
    revs = saved([bayu, weighing(bayu, 2, 7.0)])
    moved = {**bayu, "desa": f.DESA_B, "_rev": revs[bayu["_id"]]}
    revs = saved([moved])
    assert [row[4] for row in growth(bayu)] == [f.DESA_B]
    saved([{"_id": bayu["_id"], "_rev": revs[bayu["_id"]], "_deleted": True}])
    assert growth(bayu) == []


def test_the_persons_a_batch_touches():
    mother, baby = f.person(), f.person(name="Bayi", birth_date="2026-01-01")
    pregnancy = f.pregnancy(mother, status="delivered",
                            delivery={"date": "2026-01-01", "babies": [baby["_id"]]})
    visit = f.encounter(mother)
    task = f.task(mother)
    assert refresh.persons_of([(pregnancy["_id"], pregnancy), (visit["_id"], visit),
                               (task["_id"], task), ("person:gone", None)]) == {
        mother["_id"], baby["_id"], "person:gone"}


def test_reproject_equals_incremental_on_the_demo(demo_app):
    def snapshot() -> dict[str, list[tuple]]:
        with read_transaction() as conn:
            return {table.name: sorted(tuple(str(v) for v in row) for row in conn.execute(
                sa.select(*[c for c in table.columns if c.name != "id"])))
                for table in (growth_points, pws_events)}

    incremental = snapshot()
    assert len(incremental["growth_points"]) > 100 and len(incremental["pws_events"]) > 100
    with write_transaction() as conn:
        writes.rebuild_projections(conn)
    assert snapshot() == incremental
