"""Records that still name a merged person follow it to the survivor (docs/review.md,
"Merging and undo").

A tablet that was offline during a merge still holds the merged duplicate and goes on
recording on it: a new visit, a task closed, a child registered with it as mother. When such
a document reaches the server, the server writes, in the same transaction, a new revision of
it naming the survivor (the merge's own re-pointing, `repointed`, applied again), and adds the
change to that merge's `changes`, so an undo moves it back with the rest. The tablet receives
the new revision on its next pull, a descendant of its own, so nothing conflicts.

Like every derivation (backend/followup/registry.py) it runs as the system and its result is
a function of the document alone; unlike follow-up tasks it ignores the horizon: a visit of
last year recorded on the duplicate belongs to the survivor as much as today's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Protocol

import sqlalchemy as sa

from backend.documents.field_ts import apply_changes, same_value
from backend.documents.types import TYPES
from backend.projections.tables import persons
from backend.review.tables import merges
from backend.sync import reads

SYSTEM = "siklus-penggabungan"   # updated_by of what the server re-points on its own
# Where a document names a person: every reference to a person the type table declares
# (backend/documents/types.py), `merged_into` included (an earlier duplicate of the merged
# one follows on to the survivor). Not a `posyandu_visit`: its id is made of the session and
# the person (schemas.PosyanduVisitSchema), so it cannot name another person; it is the
# tablets' working copy of one session, and the encounter it becomes is the record, which
# follows.
NOT_FOLLOWED = frozenset({"posyandu_visit"})
PERSON_PATHS = {name: tuple(ref.path for ref in t.references if ref.target == "person")
                for name, t in TYPES.items() if name not in NOT_FOLLOWED}
FOLLOWED = tuple(name for name, paths in PERSON_PATHS.items() if paths)
Change = tuple[str, object, object]   # (top-level field, before, after)


class Context(Protocol):
    """What a deriver is handed (backend/followup/tasks.py Context); follow needs the time."""

    now: str


def bodies(conn: sa.Connection, ids: Iterable[str]) -> dict[str, dict]:
    """Live winners by id, each with its `_id` and `_rev`: what an edit is written on."""
    rows = reads.load_docs(conn, sorted(set(ids)))
    return {row.id: {**json.loads(row.bodies[row.winner]), "_id": row.id, "_rev": row.winner}
            for row in rows.values() if not row.deleted}


def _swap(node: object, parts: list[str], moves: dict[str, str]) -> object:
    """`node` with the person ids at `parts` (a Reference path split on ".") moved."""
    name, rest = parts[0], parts[1:]
    key = name.removesuffix("[]")
    if not isinstance(node, dict) or key not in node:
        return node
    value = node[key]
    if name.endswith("[]"):
        if not isinstance(value, list):
            return node
        # The survivor may already be listed (at a session both were ticked): once is enough.
        new = list(dict.fromkeys(moves.get(v, v) if isinstance(v, str) else v for v in value))
    elif rest:
        new = _swap(value, rest, moves)
    else:
        new = moves.get(value, value) if isinstance(value, str) else value
    return node if same_value(new, value) else {**node, key: new}


def repointed(doc: dict, moves: dict[str, str]) -> tuple[dict, list[Change]]:
    """`doc` with every person it names that is a key of `moves` replaced by its value, and
    the top-level fields that changed (pure)."""
    new = doc
    for path in PERSON_PATHS.get(doc.get("type"), ()):
        new = _swap(new, path.split("."), moves)
    changed = [(k, doc.get(k), new[k]) for k in new if k not in doc or new[k] is not doc[k]]
    return new, changed


def named_persons(doc: dict) -> set[str]:
    """Every person id `doc` names."""
    found: set[str] = set()

    def collect(node: object, parts: list[str]) -> None:
        name, rest = parts[0], parts[1:]
        value = node.get(name.removesuffix("[]")) if isinstance(node, dict) else None
        if name.endswith("[]") and isinstance(value, list):
            found.update(v for v in value if isinstance(v, str))
        elif rest:
            collect(value, rest)
        elif isinstance(value, str):
            found.add(value)

    for path in PERSON_PATHS.get(doc.get("type"), ()):
        collect(doc, path.split("."))
    return found


def survivors(conn: sa.Connection, person_ids: Iterable[str]) -> dict[str, str]:
    """merged person id -> the live person it ends at, for those of `person_ids` merged."""
    out: dict[str, str] = {}
    ask = sorted(set(person_ids))
    for _ in range(8):   # a chain longer than a few links is not made by merging duplicates
        if not ask:
            break
        links = dict(conn.execute(sa.select(persons.c.id, persons.c.merged_into_id).where(
            persons.c.id.in_(ask), persons.c.merged_into_id.is_not(None))).all())
        for start, end in list(out.items()):
            if end in links:
                out[start] = links[end]
        for pid, into in links.items():
            out.setdefault(pid, into)
        ask = sorted(set(links.values()) - set(out))
    return out


def edit(doc: dict, changes: list[Change], now: str, by: str) -> dict:
    """The new revision writing `changes` into the stored `doc` (with its `_rev`): stamped
    per field like any edit on an edited type; an encounter (written once) just changes."""
    fields = {name: after for name, _, after in changes}
    if not TYPES[doc["type"]].mutable:
        return {**doc, **fields}
    return {**apply_changes(doc, fields, now), "_id": doc["_id"], "_rev": doc["_rev"],
            "updated_at": now, "updated_by": by}


def record(conn: sa.Connection, moves: dict[str, str], found: list[tuple[str, list[Change]]]
           ) -> None:
    """Add what was re-pointed to each open merge of the merged persons, for its undo."""
    by_merged: dict[str, list[dict]] = {}
    for doc_id, changes in found:
        for name, before, after in changes:
            for merged in _merged_in(before, moves):
                by_merged.setdefault(merged, []).append(
                    {"id": doc_id, "field": name, "before": before, "after": after})
    for merged, entries in by_merged.items():
        row = conn.execute(sa.select(merges.c.id, merges.c.changes).where(
            merges.c.merged == merged, merges.c.undone_at.is_(None))
            .order_by(merges.c.merged_at.desc()).limit(1)).first()
        if row is not None:
            conn.execute(merges.update().where(merges.c.id == row.id).values(
                changes=json.dumps(json.loads(row.changes) + entries)))


def _merged_in(value: object, moves: dict[str, str]) -> set[str]:
    """The merged persons a field's old value named (one change is filed under each)."""
    text = json.dumps(value)
    return {m for m in moves if f'"{m}"' in text}


def follow(conn: sa.Connection, found: dict[str, dict], context: Context) -> list[dict]:
    """Deriver (backend/followup/registry.py): new revisions of the batch's documents `found`
    (id -> live winner) that name a merged person, naming its survivor instead."""
    named = {doc_id: named_persons({**doc, "_id": doc_id}) for doc_id, doc in found.items()}
    moves = survivors(conn, set().union(*named.values()) if named else ())
    if not moves:
        return []
    stored = bodies(conn, [doc_id for doc_id, ids in named.items() if ids & moves.keys()])
    out, done = [], []
    for doc_id, doc in sorted(stored.items()):
        _, changes = repointed(doc, moves)
        if changes:
            out.append(edit(doc, changes, context.now, SYSTEM))
            done.append((doc_id, changes))
    record(conn, moves, done)
    return out


def redirect(conn: sa.Connection, docs: Sequence[dict]) -> list[dict]:
    """What the server derived (a follow-up task of a visit recorded on the duplicate) named
    with the survivor before it is written; recorded in the merge like any follow."""
    moves = survivors(conn, set().union(*(named_persons(d) for d in docs)) if docs else ())
    if not moves:
        return list(docs)
    out, done = [], []
    for doc in docs:
        new, changes = repointed(doc, moves)
        out.append(new)
        if changes:
            done.append((doc["_id"], changes))
    record(conn, moves, done)
    return out
