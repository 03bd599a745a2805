"""Keep `growth_points` and `pws_events` in step with the records (backend/pws/facts.py).

A fact rests on a person's whole record (a weighing's trend on the weighing before it, IDL on
every dose), so the unit of maintenance is the person: every write rebuilds the rows of each
person whose person, encounter or pregnancy document it changed (delete + insert, in the
write's transaction: `backend.writes.write_docs`), and `flask reproject` rebuilds everyone's
(`refresh_all`). Bodies are the store's winning revisions, found through the read model the
way backend/followup/inputs.py finds them, a few queries per batch whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

import sqlalchemy as sa

from backend.clinical_config import ilp_config
from backend.db import insert_rows
from backend.followup.inputs import bodies
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


def refresh_persons(conn: sa.Connection, person_ids: Iterable[str],
                    config: dict | None = None) -> int:
    """Replace the growth and event rows of `person_ids` by what their records say now; a
    person no longer stored keeps none. Returns the number of rows written."""
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    config = config or ilp_config()
    growth: list[dict] = []
    events: list[dict] = []
    for chunk in _chunks(ids):
        conn.execute(growth_points.delete().where(growth_points.c.person_id.in_(chunk)))
        conn.execute(pws_events.delete().where(pws_events.c.person_id.in_(chunk)))
        history_ids = _record_ids(conn, chunk)
        docs = bodies(conn, [*chunk, *(doc_id for doc_id, _ in history_ids)])
        history: dict[str, list[dict]] = defaultdict(list)
        for doc_id, person_id in history_ids:
            if doc_id in docs:
                history[person_id].append(docs[doc_id])
        for person_id in chunk:
            person = docs.get(person_id)
            if person is None or person.get("type") != "person":
                continue
            rows, found = person_facts(config, person, history.get(person_id, []))
            growth += rows
            events += found
    insert_rows(conn, growth_points, growth)
    insert_rows(conn, pws_events, events)
    return len(growth) + len(events)


def _record_ids(conn: sa.Connection, person_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(document id, person id) of the persons' live encounters and pregnancies."""
    return [(row.id, row.person_id) for row in conn.execute(sa.union_all(
        sa.select(encounters.c.id, encounters.c.person_id)
        .where(encounters.c.person_id.in_(person_ids)),
        sa.select(pregnancies.c.id, pregnancies.c.person_id)
        .where(pregnancies.c.person_id.in_(person_ids))))]


def refresh_all(conn: sa.Connection, config: dict | None = None) -> int:
    """Rebuild the facts of every person in the read model (after `rebuild_projections`)."""
    config = config or ilp_config()
    ids = list(conn.execute(sa.select(persons.c.id).order_by(persons.c.id)).scalars())
    return sum(refresh_persons(conn, chunk, config) for chunk in _chunks(ids))
