"""A desa with a Pustu and records to review, shared by the queue, decisions, corrections and
progress tests (tests/review/test_queue*.py and siblings).

The records are clean unless a test makes one wrong, so the data-quality rules
(config/ilp/quality.json, backend/review/flags.py) flag only what a test means them to. Where
only "a flagged record" matters and not which rule, `flag` plants the row a rule writes; the
rules rebuild a person's rows on the next write for that person, so it is planted last.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import read_transaction, write_transaction
from backend.projections.tables import quality_flags, tasks
from backend.review.tables import reviews
from backend.writes import write_docs
from tests import factories as f

TODAY = dt.date.today()   # the machine's day (a visit of today is never in the future)


@pytest.fixture(name="pustu_a")
def pustu_a_fixture(world) -> dict:
    """Desa A's Pustu (desa B has none): where correction tasks of desa A go. Test modules
    import `pustu_a_fixture` to use the fixture `pustu_a`."""
    place = f.place("pustu", "Pustu Cikalong", f.DESA_A, parent=world.desa[f.DESA_A]["_id"])
    with write_transaction() as conn:
        assert write_docs(conn, [place], None)[0]["ok"]
    return place


def store(*docs: dict, user=None) -> list[dict]:
    """Write `docs` through the one write path (as the system unless `user`); each comes back
    with its `_rev`."""
    with write_transaction() as conn:
        results = write_docs(conn, list(docs), user)
    assert all(r.get("ok") for r in results), results
    return [{**doc, "_rev": r["rev"]} for doc, r in zip(docs, results, strict=True)]


def child(desa: str = f.DESA_A, **fields) -> dict:
    born = (TODAY - dt.timedelta(days=400)).isoformat()
    return f.person(desa=desa, **{"name": "Dimas Pratama", "sex": "L", "birth_date": born,
                                  **fields})


def weighing(person: dict, days_ago: int = 1, measurements: dict | None = None,
             **fields) -> dict:
    """A Posyandu weighing of `person` (BB 9,1 kg, TB 71 cm, LiLA 13,5 cm unless said)."""
    values = {"weight_kg": 9.1, "height_cm": 71.0, "length_or_height": "lying", "muac_cm": 13.5,
              **(measurements or {})}
    return f.encounter(person, date=(clock.today() - dt.timedelta(days=days_ago)).isoformat(),
                       measurements=values, **fields)


def flag(doc: dict, rule: str = "tinggi_menyusut", detail: str = "tinggi 17 cm, sebelumnya 71 cm",
         field: str = "measurements.height_cm") -> None:
    """The flag row a data-quality rule writes for `doc` (see the module's docstring)."""
    person = doc["_id"] if doc["type"] == "person" else doc["person"]
    day = doc.get("date") or doc.get("hpht") or doc["created_at"][:10]
    with write_transaction() as conn:
        conn.execute(quality_flags.insert().values(
            doc_id=doc["_id"], doc_type=doc["type"], person_id=person, desa=doc["desa"],
            date=dt.date.fromisoformat(day), rule=rule, field=field, detail=detail))


def review_rows() -> dict[str, sa.Row]:
    with read_transaction() as conn:
        return {row.doc_id: row for row in conn.execute(sa.select(reviews))}


def task_rows() -> list[sa.Row]:
    with read_transaction() as conn:
        return conn.execute(sa.select(tasks).order_by(tasks.c.id)).all()


def new_id(kind: str) -> str:
    return f"{kind}:{uuid.uuid4()}"
