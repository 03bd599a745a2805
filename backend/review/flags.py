"""The data-quality flags of each person's records (docs/review.md, "Rules").

A flag rests on a person's whole record (a height is judged against the one before it), so,
like the PWS facts (backend/pws/refresh.py), the unit of maintenance is the person: every
write replaces the `quality_flags` rows of each person it touched, in its own transaction,
reading the bodies the PWS refresh already read (`records`), and `flask reproject` rebuilds
everyone's. The rules are the evaluator's (backend/clinical/quality.py); this module only
stores what it finds, with the record's desa and date (its month in the queue and counts).
Whether a reviewer settled a flag is review state (backend/review/state.py), kept elsewhere,
so a rebuild never forgets a verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date

import sqlalchemy as sa

from backend.clinical.errors import ClinicalInputError
from backend.clinical.quality import quality_flags
from backend.clinical_config import ilp_config
from backend.db import insert_rows
from backend.followup.inputs import read_records
from backend.projections.tables import persons
from backend.projections.tables import quality_flags as flags_table

log = logging.getLogger(__name__)

CHUNK = 500
DETAIL_MAX = flags_table.c.detail.type.length


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def refresh(conn: sa.Connection, person_ids: Sequence[str], records: dict) -> None:
    """Replace the `quality_flags` rows of `person_ids` by what the rules find now.
    `records` (person id -> (person body or None, bodies)) holds what the write already read;
    persons missing from it are read here."""
    config = ilp_config()
    growth_with = getattr(records, "growth_with", None)   # backend/pws/refresh.py Records
    growth = growth_with(config) if growth_with else None
    rows: list[dict] = []
    for chunk in _chunks(sorted(set(person_ids))):
        conn.execute(flags_table.delete().where(flags_table.c.person_id.in_(chunk)))
        unread = [person_id for person_id in chunk if person_id not in records]
        people, history = read_records(conn, unread) if unread else ({}, {})
        for person_id in chunk:
            person, bodies = records.get(person_id) or (people.get(person_id),
                                                       history.get(person_id, []))
            rows += person_rows(config, person, bodies, growth)
    insert_rows(conn, flags_table, rows)


def refresh_all(conn: sa.Connection) -> None:
    """Rebuild every person's flags (after `rebuild_projections`)."""
    ids = list(conn.execute(sa.select(persons.c.id).order_by(persons.c.id)).scalars())
    for chunk in _chunks(ids):
        refresh(conn, chunk, {})


def person_rows(config: dict, person: dict | None, bodies: list[dict],
                growth: dict[str, dict | None] | None = None) -> list[dict]:
    """The `quality_flags` rows of one person. A person no longer stored, or merged into
    another (their records now belong to the survivor, docs/review.md "Merging"), has none.
    `growth`: the z-scores the write's PWS facts already computed (quality_flags)."""
    if person is None or person.get("merged_into"):
        return []
    try:
        found = quality_flags(config, person, bodies, growth)
    except ClinicalInputError as exc:   # a birth date the evaluator cannot read
        log.warning("quality flags of %s not derived: %s", person.get("_id"), exc)
        return []
    by_id = {body["_id"]: body for body in bodies}
    rows = []
    for flag in found:
        if flag["date"] is None:
            continue
        record = by_id.get(flag["doc_id"], person)
        rows.append({"doc_id": flag["doc_id"], "doc_type": flag["doc_type"],
                     "person_id": person["_id"], "desa": record.get("desa") or person["desa"],
                     "date": date.fromisoformat(flag["date"]), "rule": flag["rule"],
                     "field": flag["field"], "detail": flag["detail"][:DETAIL_MAX]})
    return rows
