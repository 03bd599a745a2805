"""Keep `growth_points` and `pws_events` in step with the records (backend/pws/facts.py).

A fact rests on a person's whole record (a weighing's trend on the weighing before it, IDL on
every dose), so the unit of maintenance is the person: every write rebuilds the rows of each
person whose person, encounter or pregnancy document it changed (delete + insert, in the
write's transaction: `backend.writes.write_docs`), and `flask reproject` rebuilds everyone's
(`refresh_all`). Bodies are the store's winning revisions, found through the read model the
way backend/followup/inputs.py finds them (`read_records`, one query per 500 persons); the
write hands them on to its follow-up derivation (`Records`), which reads them only once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import sqlalchemy as sa

from backend.clinical_config import ilp_config
from backend.db import insert_rows
from backend.followup.inputs import read_records
from backend.projections.tables import encounters, growth_points, persons, pregnancies, pws_events
from backend.pws.facts import person_facts

CHUNK = 500
RECORD_TYPES = ("person", "encounter", "pregnancy")


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def persons_of(changes: Iterable[tuple[str, dict | None]]) -> set[str]:
    """The persons whose facts the new winners of a batch change: a person document itself,
    the person of an encounter or pregnancy, and the babies a delivery names."""
    out: set[str] = set()
    for doc_id, body in changes:
        doc_type = doc_id.split(":", 1)[0]
        if doc_type == "person":
            out.add(doc_id)      # a deleted person keeps no facts
            continue
        if body is None or doc_type not in RECORD_TYPES:
            continue
        if body.get("person"):
            out.add(body["person"])
        out.update((body.get("delivery") or {}).get("babies") or [])
    return out


def persons_before(conn: sa.Connection, changes: Iterable[tuple[str, dict | None]],
                   new_ids: Collection[str] = ()) -> set[str]:
    """The persons the replaced revisions of a batch's encounters and pregnancies belonged to
    (a deleted visit, a pregnancy moved to another mother): read from the read model before
    the batch is projected. Documents never seen before cost nothing."""
    ids = [doc_id for doc_id, _ in changes if doc_id not in new_ids
           and doc_id.split(":", 1)[0] in ("encounter", "pregnancy")]
    out: set[str] = set()
    for chunk in _chunks(ids):
        out.update(conn.execute(sa.union_all(
            sa.select(encounters.c.person_id).where(encounters.c.id.in_(chunk)),
            sa.select(pregnancies.c.person_id).where(pregnancies.c.id.in_(chunk)))).scalars())
    return out


class Records(dict[str, tuple[dict | None, list[dict]]]):
    """person id -> (live person body or None, their live encounter and pregnancy bodies), each
    body with its `_id`: what `refresh_persons` read, for the follow-up derivation of the same
    write (backend/followup/inputs.py `load`), which needs the same bodies of a subset of them.

    `growth`: encounter id -> growth_zscores of that visit (None where the evaluator cannot
    read it), as the facts computed them with `config`, for the data-quality rules of the same
    write (backend/review/flags.py): the z-scores of a child's visit are computed once."""

    def __init__(self) -> None:
        super().__init__()
        self.growth: dict[str, dict | None] = {}
        self.config: dict | None = None

    def growth_with(self, config: dict) -> dict[str, dict | None] | None:
        """`growth` if it was computed with `config`, else None."""
        return self.growth if self.config is config else None


def refresh_persons(conn: sa.Connection, person_ids: Iterable[str],
                    config: dict | None = None, records: Records | None = None) -> int:
    """Replace the growth and event rows of `person_ids` by what their records say now; a
    person no longer stored keeps none. Returns the number of rows written. `records`, if
    given, receives every person's bodies as read, so the write reads them once."""

    ids = sorted(set(person_ids))
    if not ids:
        return 0
    config = config or ilp_config()
    known = None
    if isinstance(records, Records):
        records.config, known = config, records.growth
    growth: list[dict] = []
    events: list[dict] = []
    for chunk in _chunks(ids):
        conn.execute(growth_points.delete().where(growth_points.c.person_id.in_(chunk)))
        conn.execute(pws_events.delete().where(pws_events.c.person_id.in_(chunk)))
        people, history = read_records(conn, chunk)
        for person_id in chunk:
            person = people.get(person_id)
            if records is not None:
                records[person_id] = (person, history.get(person_id, []))
            if person is None or person.get("merged_into"):
                continue   # a merged duplicate's records are its survivor's (docs/review.md)
            rows, found = person_facts(config, person, history.get(person_id, []),
                                       growth=known)
            growth += rows
            events += found
    insert_rows(conn, growth_points, growth)
    insert_rows(conn, pws_events, events)
    return len(growth) + len(events)


def refresh_all(conn: sa.Connection, config: dict | None = None) -> int:
    """Rebuild the facts of every person in the read model (after `rebuild_projections`)."""
    config = config or ilp_config()
    ids = list(conn.execute(sa.select(persons.c.id).order_by(persons.c.id)).scalars())
    return sum(refresh_persons(conn, chunk, config) for chunk in _chunks(ids))
