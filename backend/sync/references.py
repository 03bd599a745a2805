"""References checked on every write: a link from one document to another must point at a live
document of the right type, in the writing document's desa, or at a place of an allowed kind.

The rules per field are in `backend/documents/types.py` (`Reference`); docs/documents.md
explains them and their exceptions. Only the references a revision *introduces or changes* are
checked, compared with the stored winner: a link accepted long ago (to a person since deleted,
say) must not lock anyone out of editing the document. Moving a document to another desa
changes all of its references, so all are checked again.

Targets are looked up once per batch, in one query for every referenced id; a target written
earlier in the same batch counts (the store applies a batch's referenced documents first).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from backend.documents.types import TYPES, Reference
from backend.projections.tables import persons
from backend.sync.tables import documents


@dataclass(frozen=True)
class Target:
    """What a reference may point at, as far as the rules care."""

    type: str
    desa: str | None        # a place without a desa (the Puskesmas) belongs to every desa
    deleted: bool
    kind: str | None = None  # places only
    birth_date: str | None = None  # persons only (ISO date)


@dataclass(frozen=True)
class Broken:
    """A reference that breaks its rule: a code of prepare.REFUSAL_CODES and why."""

    code: str
    reason: str


def _reader(path: str) -> Callable[[object], list[str]]:
    """The ids a body holds at a registry path (`a.b` inside objects, `a[]` every list item),
    as a function built once: a plain field, most references, is one lookup. Anything not a
    string is the schema's business (it refused it already)."""
    if "." not in path and not path.endswith("[]"):
        def field(body: object) -> list[str]:
            value = body.get(path) if isinstance(body, dict) else None
            return [value] if isinstance(value, str) else []
        return field
    steps = [(step.removesuffix("[]"), step.endswith("[]")) for step in path.split(".")]

    def walk(body: object) -> list[str]:
        values = [body]
        for name, many in steps:
            values = [v.get(name) for v in values if isinstance(v, dict)]
            if many:
                values = [item for v in values if isinstance(v, list) for item in v]
        return [v for v in values if isinstance(v, str)]
    return walk


_READERS = {name: [(ref, _reader(ref.path)) for ref in t.references] for name, t in TYPES.items()}


def introduced(doc_type: str, body: dict, old: dict | None) -> list[tuple[Reference, str]]:
    """The references of `body` that the stored winner `old` did not already hold at the same
    field in the same desa."""
    moved = old is None or old.get("desa") != body.get("desa")
    found = []
    for ref, read in _READERS[doc_type]:
        values = read(body)
        if values:
            kept = () if moved else read(old)
            found += [(ref, value) for value in values if value not in kept]
    return found


def broken(ref: Reference, target_id: str, target: Target | None,
           body: dict) -> Broken | None:
    """Why the reference from `body` to `target` breaks its rule, or None."""
    desa = body.get("desa")
    if target is None or target.deleted or target.type != ref.target:
        return Broken("reference_missing", f"{ref.path}: {target_id} does not exist on the "
                                           f"server (yet)")
    if ref.place_kinds is not None and target.kind not in ref.place_kinds:
        return Broken("reference_kind", f"{ref.path}: must be a place of kind "
                                        f"{' or '.join(sorted(ref.place_kinds))}, "
                                        f"not {target.kind!r}")
    if ref.same_desa and target.desa is not None and target.desa != desa:
        # The target's desa is not named: it may lie outside the writer's area.
        return Broken("reference_scope", f"{ref.path}: {target_id} belongs to another desa")
    return _before_birth(ref, target, body)


def _before_birth(ref: Reference, target: Target, body: dict) -> Broken | None:
    """A visit, or a dose it records, dated before the person was born (a Buku KIA date typed
    in the wrong year, say): the record would bend every schedule computed from it."""
    if ref.path != "person" or target.birth_date is None or body.get("type") != "encounter":
        return None
    dates = [body.get("date")] + [given.get("date") for given in body.get("immunizations") or []
                                  if isinstance(given, dict)]
    early = sorted(d for d in dates if isinstance(d, str) and d < target.birth_date)
    if early:
        return Broken("before_birth", f"{early[0]} is before the person's birth date "
                                      f"{target.birth_date}")
    return None


def of_document(doc_type: str, body: dict, deleted: bool) -> Target:
    """A document as a target: records by their desa, places also by kind."""
    desa = body.get("desa")
    kind = body.get("kind") if doc_type == "place" else None
    birth = body.get("birth_date") if doc_type == "person" else None
    return Target(doc_type, desa if isinstance(desa, str) else None, deleted, kind,
                  birth if isinstance(birth, str) else None)


def load(conn: sa.Connection, ids: Iterable[str]) -> dict[str, Target]:
    """The stored targets among `ids`: one query per 1,000 ids (a 200-document batch makes
    one). Only places need their body read; records carry their desa as the row's scope, and
    persons their birth date in the read model."""
    ids = sorted(set(ids))
    found: dict[str, Target] = {}
    for start in range(0, len(ids), 1000):
        for row in conn.execute(_TARGETS, {"ids": ids[start:start + 1000]}):
            if row.type == "place":
                found[row.id] = of_document("place", json.loads(row.place_body), row.deleted)
            else:
                birth = row.birth_date.isoformat() if row.birth_date else None
                found[row.id] = Target(row.type, row.scope, row.deleted, birth_date=birth)
    return found


_TARGETS = sa.select(
    documents.c.id, documents.c.type, documents.c.scope, documents.c.deleted,
    sa.case((documents.c.type == "place", documents.c.body)).label("place_body"),
    persons.c.birth_date,
).select_from(documents.outerjoin(persons, persons.c.id == documents.c.id)).where(
    documents.c.id.in_(sa.bindparam("ids", expanding=True)))
