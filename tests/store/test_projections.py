"""The read model is a pure function of the winning revisions: rebuild == incremental."""

from __future__ import annotations

import random

import marshmallow.fields as ma
import sqlalchemy as sa

from backend import writes
from backend.db import read_transaction, write_transaction
from backend.documents import fieldtypes as ft
from backend.documents.schemas import MeasurementsSchema
from backend.projections.tables import (
    MEASUREMENTS,
    READ_MODEL,
    encounters,
    immunizations,
    persons,
)
from backend.sync import reads
from backend.sync.tables import documents
from backend.writes import save_docs
from tests import factories as f
from tests.store.history import RandomHistory


def snapshot() -> dict[str, list[tuple]]:
    """Every read-model row, without surrogate keys, in a stable order."""
    out = {}
    with read_transaction() as conn:
        for table in READ_MODEL:
            columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True
                                                         and c.name == "id")]
            rows = conn.execute(sa.select(*columns)).all()
            out[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def test_rebuild_equals_incremental_after_a_random_history(world):
    history = RandomHistory(random.Random(20261122))
    for _ in range(250):
        history.step()
    incremental = snapshot()
    assert incremental["persons"] and incremental["encounters"] and incremental["tasks"]
    with read_transaction() as conn:
        flags = conn.execute(sa.select(sa.func.sum(sa.cast(documents.c.has_conflicts, sa.Integer)),
                                       sa.func.sum(sa.cast(documents.c.deleted, sa.Integer)))).one()
    assert flags[0] > 5 and flags[1] > 5  # the history really has conflicts and deletions
    with write_transaction() as conn:
        count = writes.rebuild_projections(conn)
        live = conn.execute(sa.select(sa.func.count()).select_from(persons)).scalar()
    assert count >= live > 0
    assert snapshot() == incremental


def test_read_model_follows_the_winner_through_a_conflict(world):
    person = f.person(name="Asli")
    save_docs([{**person, "_rev": "1-aaa"}], None, new_edits=False)
    save_docs([{**person, "name": "Cabang Z", "_rev": "2-zzz",
                "_revisions": {"start": 2, "ids": ["zzz", "aaa"]}}], None, new_edits=False)
    save_docs([{**person, "name": "Cabang B", "_rev": "2-bbb",
                "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}}], None, new_edits=False)
    with read_transaction() as conn:
        assert conn.execute(sa.select(persons.c.name)).scalar_one() == "Cabang Z"
        assert reads.get_doc(conn, person["_id"], None, reads.ReadOptions())["_rev"] == "2-zzz"


def test_encounter_rows_are_replaced_not_duplicated(world):
    person = f.person()
    visit = f.encounter(person, measurements={"weight_kg": 60.5, "height_cm": 155.0})
    save_docs([{**person, "_rev": "1-ccc"}, {**visit, "_rev": "1-aaa"}], None, new_edits=False)
    save_docs([{**visit, "measurements": {"weight_kg": 61.0},
                "_rev": "2-bbb", "_revisions": {"start": 2, "ids": ["bbb", "aaa"]}}],
              None, new_edits=False)
    with read_transaction() as conn:
        rows = conn.execute(sa.select(encounters.c.weight_kg, encounters.c.height_cm)).all()
    assert rows == [(61.0, None)]


def test_every_measurement_of_the_schema_has_its_encounter_column():
    fields = MeasurementsSchema().fields
    assert set(MEASUREMENTS) == set(fields)
    kinds = {ft.Num: sa.Float, ft.Int: sa.Integer, ft.Bool: sa.Boolean, ma.String: sa.String}
    for name, field in fields.items():
        assert isinstance(encounters.c[name].type, kinds[type(field)]), name


def test_measurements_land_in_their_columns_with_their_types(world):
    person = f.person()
    visit = f.encounter(person, measurements={
        "weight_kg": 9.4, "height_cm": 74.5, "length_or_height": "lying", "muac_cm": 13.2,
        "oedema": True, "sbp": 120, "dbp": 80, "glucose_mgdl": 140, "glucose_type": "GDS"})
    save_docs([person, visit], None)
    with read_transaction() as conn:
        row = conn.execute(sa.select(*(encounters.c[m] for m in MEASUREMENTS))).one()._asdict()
    assert {k: v for k, v in row.items() if v is not None} == {
        "weight_kg": 9.4, "height_cm": 74.5, "length_or_height": "lying", "muac_cm": 13.2,
        "oedema": True, "sbp": 120, "dbp": 80, "glucose_mgdl": 140.0, "glucose_type": "GDS"}


def test_immunization_copied_from_buku_kia_counts_on_the_day_it_was_given(world):
    child = f.person(birth_date="2025-01-10")
    visit = f.encounter(child, date="2026-01-15", immunizations=[
        {"vaccine": "BCG", "dose": 1, "date": "2025-01-20"}, {"vaccine": "MR", "dose": 1}])
    save_docs([child, visit], None)
    with read_transaction() as conn:
        rows = conn.execute(sa.select(immunizations.c.vaccine, immunizations.c.date)
                            .order_by(immunizations.c.vaccine)).all()
    assert [(v, d.isoformat()) for v, d in rows] == [("BCG", "2025-01-20"), ("MR", "2026-01-15")]
