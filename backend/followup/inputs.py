"""What deriving a batch of encounters reads, in a few queries for the whole batch.

Called inside the write's transaction after the batch is stored and projected, so the batch's
own documents (a new person with her first visit, a correction and its original) are read like
any other. Bodies come from the store's winning revisions; the read model only finds ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from backend import jsontext
from backend.followup.tasks import OPEN
from backend.projections.tables import encounters, places, pregnancies, tasks
from backend.sync.tables import documents

CHUNK = 500


@dataclass
class Inputs:
    """Everything deriving one batch of encounters reads (derive.encounter_tasks)."""

    persons: dict[str, dict]                      # person id -> body
    history: dict[str, list[dict]]                # person id -> encounter/pregnancy bodies
    corrected: set[str]                           # encounter ids a live encounter corrects
    open_rules: set[tuple[str, str]]              # (person, rule) of open / in-progress tasks
    pustu: dict[str, str]                         # desa -> its Pustu's place id
    puskesmas: str | None
    by_origin: dict[str, list[dict]] = field(default_factory=dict)  # open tasks per origin
    existing: set[str] = field(default_factory=set)  # derived ids stored, live or deleted


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def bodies(conn: sa.Connection, ids: Iterable[str]) -> dict[str, dict]:
    """Live winners' bodies by id, each with its `_id` and `_rev`."""
    found: dict[str, dict] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in conn.execute(_BODIES, {"ids": list(chunk)}):
            found[row.id] = {**json.loads(row.body), "_id": row.id, "_rev": row.winner}
    return found


_BODIES = sa.select(documents.c.id, documents.c.winner, documents.c.body).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)), documents.c.deleted.is_(False))


def load(conn: sa.Connection, found: dict[str, dict],
         records: dict[str, tuple[dict | None, list[dict]]] | None = None) -> Inputs:
    """What deriving from `found` (the batch's encounters by id) reads; `existing` is filled
    by `stored` once the follow-ups are known (most visits find nothing). `records`: the
    persons' bodies this write has already read after projection (the PWS facts refresh
    reads the same ones just before); read here only when a person is missing from it."""
    person_ids = sorted({e["person"] for e in found.values()})
    if records is not None and all(pid in records for pid in person_ids):
        persons, history = _from_records(person_ids, records)
    else:
        persons, history = read_records(conn, person_ids)
    open_rows = _open_tasks(conn, person_ids)
    open_docs = bodies(conn, [row.id for row in open_rows])
    pustu, puskesmas = places_of(conn, sorted({e["desa"] for e in found.values()}))
    inputs = Inputs(
        persons=persons, history=history,
        corrected=_corrected(conn, list(found)),
        open_rules={(r.person_id, r.rule) for r in open_rows}, pustu=pustu,
        puskesmas=puskesmas)
    origins = defaultdict(list)
    for row in open_rows:
        task = open_docs.get(row.id)
        if task is None:
            continue
        # A referral that absorbed other follow-ups (`covers`) stands for them too.
        inputs.open_rules.update((row.person_id, rule) for rule in task.get("covers") or [])
        if row.status == "open" and row.origin_id:
            origins[row.origin_id].append(task)
    inputs.by_origin = dict(origins)
    return inputs


def _from_records(person_ids: Sequence[str],
                  records: dict[str, tuple[dict | None, list[dict]]]
                  ) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    persons = {pid: records[pid][0] for pid in person_ids if records[pid][0] is not None}
    return persons, {pid: records[pid][1] for pid in person_ids if records[pid][1]}


def read_records(conn: sa.Connection, person_ids: Sequence[str]
                 ) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """The persons' live winning bodies and their encounters' and pregnancies' (found through
    the read model), each with its `_id`: one query per 500 persons, read with orjson. The one
    reader of "a person's record" for the evaluator: follow-up derivation, the PWS facts
    (backend/pws/refresh.py, on every write) and the PWS drill-down's due lists."""
    people: dict[str, dict] = {}
    history: dict[str, list[dict]] = defaultdict(list)
    for chunk in _chunks(list(person_ids)):
        records = sa.union_all(
            sa.select(encounters.c.id).where(encounters.c.person_id.in_(chunk)),
            sa.select(pregnancies.c.id).where(pregnancies.c.person_id.in_(chunk)))
        # fetched at once: SQLAlchemy's row-by-row iteration cost more than the query (measured)
        rows = conn.execute(sa.select(documents.c.id, documents.c.body).where(
            documents.c.deleted.is_(False),
            sa.or_(documents.c.id.in_(list(chunk)), documents.c.id.in_(records)))).all()
        for doc_id, text in rows:
            body = {**jsontext.loads(text), "_id": doc_id}
            if body.get("type") == "person":
                people[doc_id] = body
            elif body.get("person"):
                history[body["person"]].append(body)
    return people, history


def _corrected(conn: sa.Connection, encounter_ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(encounter_ids):
        out |= set(conn.execute(sa.select(encounters.c.corrects_id)
                                .where(encounters.c.corrects_id.in_(chunk))).scalars())
    return out


def stored_ids(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        out |= set(conn.execute(sa.select(documents.c.id)
                                .where(documents.c.id.in_(chunk))).scalars())
    return out


def _open_tasks(conn: sa.Connection, person_ids: Sequence[str]) -> list[sa.Row]:
    rows: list[sa.Row] = []
    for chunk in _chunks(person_ids):
        rows += conn.execute(
            sa.select(tasks.c.id, tasks.c.person_id, tasks.c.rule, tasks.c.status,
                      tasks.c.origin_id)
            .where(tasks.c.person_id.in_(chunk), tasks.c.status.in_(OPEN),
                   tasks.c.rule.is_not(None))).all()
    return rows


def places_of(conn: sa.Connection, desa: Sequence[str]) -> tuple[dict[str, str], str | None]:
    """Each desa's Pustu (the first by id when a desa has several) and the Puskesmas."""
    pustu: dict[str, str] = {}
    rows = conn.execute(sa.select(places.c.id, places.c.desa).where(
        places.c.kind == "pustu", places.c.desa.in_(list(desa))).order_by(places.c.id))
    for row in rows:
        pustu.setdefault(row.desa, row.id)
    puskesmas = conn.execute(sa.select(places.c.id).where(places.c.kind == "puskesmas")
                             .order_by(places.c.id).limit(1)).scalar()
    return pustu, puskesmas
