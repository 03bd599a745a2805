"""Possible duplicate persons on the server: the `duplicate_pairs` projection (docs/review.md,
"Duplicates").

Comparing every person with every other is quadratic (18 million pairs at scale 1), so
candidates come from *blocks* and only persons sharing one are scored
(`backend.clinical.duplicates.compare`): the same NIK; the same household or no. KK; or the
same desa, a name word starting alike and birth dates close enough to matter. A pair needs
name or NIK evidence to reach the listing threshold (config/ilp/duplicates.json), so the
blocks lose only names that differ in the first letters of every word.

`refresh` (every write, for the persons it touched) and `detect_all` (rebuild, bench) share
`find_pairs` and the blocks of backend/review/blocks.py, so a rebuild finds exactly what the
writes found, and `naive_pairs` (every related pair scored) finds the same.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

import sqlalchemy as sa
from flask import has_app_context

from backend.clinical.config import default_config
from backend.clinical.duplicates import compare
from backend.clinical_config import ilp_config
from backend.projections.tables import duplicate_pairs, households, persons
from backend.review.blocks import Blocks, near, nik_vetoes, related, two_niks, window
from backend.sync.tables import documents

CHUNK = 500          # ids per IN (...) list


def config() -> dict:
    return ilp_config() if has_app_context() else default_config()


def refresh(conn: sa.Connection, person_ids: Sequence[str]) -> None:
    """Replace the `duplicate_pairs` rows involving `person_ids` by the pairs found now."""
    ids = sorted(set(person_ids))
    for chunk in _chunks(ids):
        conn.execute(duplicate_pairs.delete().where(sa.or_(
            duplicate_pairs.c.person_a.in_(chunk), duplicate_pairs.c.person_b.in_(chunk))))
    subjects = [row for chunk in _chunks(ids) for row in summaries(conn, persons.c.id.in_(chunk))]
    if not subjects:
        return
    pool = {row["id"]: row for row in subjects}
    for row in _partners(conn, config(), subjects):
        pool.setdefault(row["id"], row)
    touching = {row["id"] for row in subjects}
    _insert(conn, _dated(conn, find_pairs(config(), list(pool.values()), touching)))


def refresh_all(conn: sa.Connection) -> None:
    """Rebuild every pair (after `rebuild_projections`)."""
    conn.execute(duplicate_pairs.delete())
    _insert(conn, detect_all(conn))


def detect_all(conn: sa.Connection, desa: Sequence[str] | None = None) -> list[dict]:
    """Every pair at or above the listing threshold among the living, unmerged persons (of
    `desa` when given), blocked: `duplicate_pairs` rows, sorted."""
    return _dated(conn, find_pairs(config(), summaries(conn, _in_desa(desa))))


def naive_pairs(conn: sa.Connection, desa: Sequence[str] | None = None) -> list[dict]:
    """The same pairs by comparing every person with every other (bench/review.py's baseline;
    quadratic: give it one or two desa)."""
    spec = config()
    rows = summaries(conn, _in_desa(desa))
    found = [_pair(a, b, compare(spec, a, b)) for a, b in combinations(rows, 2) if related(a, b)]
    threshold = spec["duplicates"]["threshold"]["list"]
    return _dated(conn, [pair for pair in found if pair["score"] >= threshold])


# -- blocks ----------------------------------------------------------------------------------

def find_pairs(spec: dict, rows: list[dict], touching: set[str] | None = None) -> list[dict]:
    """Score every blocked pair (only those of `touching`, when given); keep the listed."""
    blocks = Blocks(spec, rows)
    if touching is None:
        candidates = blocks.all_pairs()
    else:
        candidates = ((row, other) for row in rows if row["id"] in touching
                      for other in blocks.partners(row))
    seen: set[tuple[str, str]] = set()
    found = []
    threshold = spec["duplicates"]["threshold"]["list"]
    veto = nik_vetoes(spec)
    for a, b in candidates:
        key = (a["id"], b["id"]) if a["id"] < b["id"] else (b["id"], a["id"])
        if key in seen or a["id"] == b["id"] or (veto and two_niks(a, b)):
            continue
        seen.add(key)
        result = compare(spec, a, b)
        if result["score"] >= threshold:
            found.append(_pair(a, b, result))
    return sorted(found, key=lambda pair: (pair["person_a"], pair["person_b"]))


def _partners(conn: sa.Connection, spec: dict, subjects: list[dict]) -> list[dict]:
    """Every person sharing a block with one of `subjects`, by indexed queries."""
    found = []
    niks = sorted({row["nik"] for row in subjects if row["nik"]})
    kks = sorted({row["no_kk"] for row in subjects if row["no_kk"]})
    homes = sorted({row["household"] for row in subjects if row["household"]})
    for chunk in _chunks(niks):
        found += summaries(conn, persons.c.nik.in_(chunk))
    for chunk in _chunks(kks):
        found += summaries(conn, households.c.no_kk.in_(chunk))
    for chunk in _chunks(homes):
        found += summaries(conn, persons.c.household_id.in_(chunk))
    for chunk in _chunks(_name_partner_ids(conn, spec, subjects)):
        found += summaries(conn, persons.c.id.in_(chunk))
    return found


def _name_partner_ids(conn: sa.Connection, spec: dict, subjects: list[dict]) -> list[str]:
    """The persons sharing a name block with a subject, found on light rows (id, name key,
    birth date) of the desa's birth-date window, so that a write of a few hundred persons
    does not read its whole desa in full."""
    wide = dt.timedelta(days=window(spec, estimated=True))
    wanted: dict[tuple, list[dict]] = defaultdict(list)
    for row in sorted(subjects, key=lambda row: row["born"]):
        for key in Blocks.name_keys(row):
            wanted[key].append(row)
    wanted_born = {key: [row["born"] for row in rows] for key, rows in wanted.items()}
    by_desa: dict[str, list[dt.date]] = defaultdict(list)
    for row in subjects:
        by_desa[row["desa"]].append(row["born"])
    p = persons.c
    found = set()
    veto = nik_vetoes(spec)
    for desa, born in by_desa.items():
        light = conn.execute(sa.select(p.id, p.desa, p.name_key, p.nik,
                                       p.birth_date.label("born"),
                                       p.birth_date_estimated).where(
            p.desa == desa, p.merged_into_id.is_(None),
            p.birth_date.between(min(born) - wide, max(born) + wide)))
        for other in light:
            row = other._asdict()
            for key in Blocks.name_keys(row):
                if key not in wanted:
                    continue
                low = bisect_left(wanted_born[key], row["born"] - wide)
                high = bisect_right(wanted_born[key], row["born"] + wide)
                if any(not (veto and two_niks(row, subject)) and near(spec, row, subject)
                       for subject in wanted[key][low:high]):
                    found.add(row["id"])
                    break
    return sorted(found)


# -- rows ------------------------------------------------------------------------------------

def summaries(conn: sa.Connection, where: sa.ColumnElement[bool],
              merged: bool = False) -> list[dict]:
    """Person summaries as `compare` reads them, of the persons not merged away (and of those
    too when `merged`)."""
    p, h, m = persons, households, persons.alias("mother")
    query = (sa.select(p.c.id, p.c.desa, p.c.name, p.c.name_key, p.c.sex, p.c.birth_date,
                       p.c.birth_date_estimated, p.c.nik, p.c.household_id, h.c.no_kk,
                       m.c.name.label("mother"))
             .select_from(p.outerjoin(h, h.c.id == p.c.household_id)
                          .outerjoin(m, m.c.id == p.c.mother_id))
             .where(sa.true() if merged else p.c.merged_into_id.is_(None), where)
             .order_by(p.c.id))
    return [{"id": r.id, "desa": r.desa, "name": r.name, "name_key": r.name_key, "sex": r.sex,
             "born": r.birth_date, "birth_date": r.birth_date.isoformat(),
             "birth_date_estimated": r.birth_date_estimated, "nik": r.nik, "no_kk": r.no_kk,
             "household": r.household_id, "mother": r.mother}
            for r in conn.execute(query)]


def _in_desa(desa: Sequence[str] | None) -> sa.ColumnElement[bool]:
    return sa.true() if desa is None else persons.c.desa.in_(list(desa))


def _pair(a: dict, b: dict, result: dict) -> dict:
    first, second = (a, b) if a["id"] < b["id"] else (b, a)
    return {"person_a": first["id"], "person_b": second["id"], "desa_a": first["desa"],
            "desa_b": second["desa"], "score": result["score"],
            "reasons": ",".join(result["reasons"])}


def _dated(conn: sa.Connection, pairs: list[dict]) -> list[dict]:
    """Each pair dated by the later of its two registrations (`created_at`)."""
    ids = sorted({pair[side] for pair in pairs for side in ("person_a", "person_b")})
    registered: dict[str, dt.date] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(sa.select(documents.c.id, documents.c.body)
                                .where(documents.c.id.in_(chunk))):
            registered[row.id] = dt.date.fromisoformat(json.loads(row.body)["created_at"][:10])
    return [{**pair, "date": max(registered[pair["person_a"]], registered[pair["person_b"]])}
            for pair in pairs]


def _insert(conn: sa.Connection, pairs: list[dict]) -> None:
    if pairs:
        conn.execute(duplicate_pairs.insert(), pairs)


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield list(values[start:start + CHUNK])
