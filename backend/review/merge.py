"""Merging a duplicate person into its survivor, and undoing it (docs/review.md, "Merging and
undo").

A merge is documents, written in one transaction through the one write path as the reviewer,
so every tablet of the desa receives it:

* every document naming the merged person names the survivor: its visits, pregnancies (and
  deliveries naming it as a baby), tasks, children (`mother`), session attendance, consents,
  and an earlier duplicate merged into it (`merged_into`) — review/follow.py `repointed`;
* the survivor takes the fields the reviewer chose (`take`) and fills its own empty ones
  from the merged person (`FILLED`); household and relation travel together, so do the
  birth date and whether it is estimated;
* the merged person leaves its household and gets `merged_into` = the survivor: kept, never
  deleted, so a tablet that shows it can follow the link.

Every field changed is listed in the `merges` row (`changes`: id, field, before, after). An
undo within MERGE_UNDO_DAYS writes `before` back into each field that still holds `after`: a
field someone edited since keeps their edit (a later edit wins over an undo).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from backend import audit, clock
from backend.auth.users import User
from backend.documents.field_ts import is_empty, same_value
from backend.projections.tables import encounters, persons, pregnancies, tasks
from backend.review.follow import Change, bodies, edit, repointed
from backend.review.tables import merges
from backend.sync.tables import documents, sync_meta
from backend.writes import write_docs

# Person fields the reviewer may have the survivor take from the merged person.
TAKEABLE = ("name", "nik", "sex", "birth_date", "household", "mother", "phone", "jkn",
            "posyandu", "deceased_date")
# Fields the survivor fills from the merged person when its own is empty.
FILLED = ("nik", "jkn", "phone", "mother", "household", "posyandu", "deceased_date")
# A field that only means something beside another moves with it.
COMPANIONS = {"household": ("relation",), "birth_date": ("birth_date_estimated",)}
# Types found through a body search (few documents; no projected column names the person).
SEARCHED = ("pregnancy", "posyandu_session", "subscription_consent")
log = logging.getLogger(__name__)
MOVED_KEYS = ("encounter", "pregnancy", "task", "person", "household", "posyandu_session",
              "subscription_consent")


class MergeRefused(Exception):
    """A merge or undo that cannot be done: nothing was changed. `status` is the HTTP one."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Merged:
    id: str
    survivor: str
    merged: str
    moved: dict[str, int]
    undo_until: str


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")


def _lock(conn: sa.Connection) -> None:
    """The store's write lock, before anything is read: two reviewers merging the same pair
    (or undoing one merge) at once run one after the other, and the second sees the first's
    result (backend/pws/followup.py does the same)."""
    conn.execute(sa.select(sync_meta.c.id).where(sync_meta.c.id == 1).with_for_update())


def _persons(conn: sa.Connection, user: User, survivor_id: str, merged_id: str
             ) -> tuple[dict, dict]:
    found = bodies(conn, [survivor_id, merged_id])
    for pid, role in ((survivor_id, "yang dipertahankan"), (merged_id, "yang digabungkan")):
        doc = found.get(pid)
        if doc is None or doc.get("type") != "person" or not user.sees(doc.get("desa")):
            raise MergeRefused(404, f"Orang {role} tidak ditemukan atau di luar wilayah Anda.")
        if doc.get("merged_into"):
            raise MergeRefused(409, f"{doc['name']} sudah digabung ke orang lain.")
    survivor, merged = found[survivor_id], found[merged_id]
    if survivor["desa"] != merged["desa"]:
        raise MergeRefused(409, "Kedua orang tercatat di desa yang berbeda. Pindahkan dulu ke "
                                "desa yang sama, lalu gabungkan.")
    return survivor, merged


def survivor_changes(survivor: dict, merged: dict, take: tuple[str, ...]) -> dict:
    """The fields the survivor gets from the merged person (pure)."""
    out: dict = {}
    for name in (*take, *FILLED):
        if name in out or is_empty(merged.get(name)):
            continue
        if name not in take and not is_empty(survivor.get(name)):
            continue
        if name == "mother" and merged[name] == survivor["_id"]:
            continue
        out[name] = merged[name]
        for companion in COMPANIONS.get(name, ()):
            out[companion] = merged.get(companion)
    return {k: v for k, v in out.items() if not same_value(survivor.get(k), v)
            and not (is_empty(v) and is_empty(survivor.get(k)))}


def _referencing(conn: sa.Connection, merged_id: str) -> list[str]:
    """Ids of the live documents that may name the merged person (checked by `repointed`)."""
    like = f'%"{merged_id}"%'
    query = sa.union(
        sa.select(encounters.c.id).where(encounters.c.person_id == merged_id),
        sa.select(pregnancies.c.id).where(pregnancies.c.person_id == merged_id),
        sa.select(tasks.c.id).where(tasks.c.person_id == merged_id),
        sa.select(persons.c.id).where(sa.or_(persons.c.mother_id == merged_id,
                                             persons.c.merged_into_id == merged_id)),
        sa.select(documents.c.id).where(documents.c.type.in_(SEARCHED),
                                        documents.c.deleted.is_(False),
                                        documents.c.body.like(like)))
    return sorted(conn.execute(query).scalars())


def _entries(doc_id: str, changes: list[Change]) -> list[dict]:
    return [{"id": doc_id, "field": name, "before": before, "after": after}
            for name, before, after in changes]


def _write(conn: sa.Connection, user: User, docs: list[dict]) -> None:
    """All of it or nothing: a refused document refuses the merge (the caller rolls back)."""
    for doc, result in zip(docs, write_docs(conn, docs, user), strict=True):
        if result.get("error"):
            log.warning("merge: %s refused: %s", doc["_id"], result.get("reason"))
            raise MergeRefused(409, "Sebagian catatan tidak bisa diubah karena baru saja "
                                    "berubah; muat ulang dan coba lagi.")


def _moved_records(conn: sa.Connection, user: User, survivor_id: str, merged_id: str,
                   now: str) -> tuple[list[dict], list[dict], dict[str, int]]:
    """The new revisions of every document naming the merged person, their `changes`
    entries, and how many of each type moved."""
    docs, entries = [], []
    moved = dict.fromkeys(MOVED_KEYS, 0)
    found = bodies(conn, [i for i in _referencing(conn, merged_id)
                          if i not in (survivor_id, merged_id)])
    for doc_id, doc in sorted(found.items()):
        _, changes = repointed(doc, {merged_id: survivor_id})
        if changes:
            docs.append(edit(doc, changes, now, user.username))
            entries += _entries(doc_id, changes)
            moved[doc["type"]] += 1
    return docs, entries, moved


def merge(conn: sa.Connection, user: User, survivor_id: str, merged_id: str,
          take: tuple[str, ...] | list[str] = ()) -> Merged:
    """Merge `merged_id` into `survivor_id` inside the caller's write transaction."""
    take = tuple(dict.fromkeys(take))
    wrong = [name for name in take if name not in TAKEABLE]
    if wrong:
        raise MergeRefused(422, f"Kolom tidak bisa diambil: {', '.join(wrong)}.")
    if survivor_id == merged_id:
        raise MergeRefused(422, "Orang tidak bisa digabung dengan dirinya sendiri.")
    _lock(conn)
    survivor, merged = _persons(conn, user, survivor_id, merged_id)
    now = _now()
    docs, entries, moved = _moved_records(conn, user, survivor_id, merged_id, now)
    for person, fields in ((survivor, survivor_changes(survivor, merged, take)),
                           (merged, {"household": None, "merged_into": survivor_id})):
        changes = [(k, person.get(k), v) for k, v in fields.items()
                   if not (is_empty(v) and is_empty(person.get(k)))]
        if changes:
            docs.append(edit(person, changes, now, user.username))
            entries += _entries(person["_id"], changes)
    moved["household"] = int(any(e["id"] == survivor_id and e["field"] == "household"
                                 for e in entries))
    _write(conn, user, docs)
    days = current_app.config["MERGE_UNDO_DAYS"]
    until = (clock.utc_now() + dt.timedelta(days=days)).isoformat(timespec="seconds")
    result = Merged(str(uuid.uuid4()), survivor_id, merged_id, moved,
                    until.replace("+00:00", "Z"))
    conn.execute(merges.insert().values(
        id=result.id, survivor=survivor_id, merged=merged_id, desa=survivor["desa"],
        merged_by=user.username, merged_at=now, undo_until=result.undo_until,
        changes=json.dumps(entries)))
    audit.record(conn, actor=user, action="person.merge", target_type="person",
                 target_id=merged_id, desa=survivor["desa"],
                 detail={"merge": result.id, "survivor": survivor_id, "moved": moved,
                         "take": list(take)})
    return result


def reverted(doc: dict, entries: list[dict]) -> list[Change]:
    """The fields of `doc` an undo writes back: each still holding what the merge (or a
    follow) wrote, newest entry first, so a field changed twice ends where it began (pure)."""
    current, out = dict(doc), {}
    for entry in reversed(entries):
        name = entry["field"]
        if same_value(current.get(name), entry["after"]) or (
                is_empty(current.get(name)) and is_empty(entry["after"])):
            current[name] = entry["before"]
            out[name] = (doc.get(name), entry["before"])
    return [(name, before, after) for name, (before, after) in out.items()
            if not same_value(before, after)]


def undo(conn: sa.Connection, user: User, merge_id: str) -> str:
    """Undo the merge `merge_id` inside the caller's write transaction; its `undone_at`."""
    _lock(conn)
    row = conn.execute(sa.select(merges).where(merges.c.id == merge_id)).first()
    if row is None or not user.sees(row.desa):
        raise MergeRefused(404, "Penggabungan tidak ditemukan atau di luar wilayah Anda.")
    if row.undone_at:
        raise MergeRefused(409, "Penggabungan ini sudah dibatalkan.")
    now = _now()
    if now > row.undo_until:
        raise MergeRefused(409, "Batas waktu pembatalan penggabungan sudah lewat.")
    entries: dict[str, list[dict]] = {}
    for entry in json.loads(row.changes):
        entries.setdefault(entry["id"], []).append(entry)
    docs = []
    for doc_id, doc in sorted(bodies(conn, list(entries)).items()):
        changes = reverted(doc, entries[doc_id])
        if changes:
            docs.append(edit(doc, changes, now, user.username))
    _write(conn, user, docs)
    conn.execute(merges.update().where(merges.c.id == merge_id).values(
        undone_by=user.username, undone_at=now))
    audit.record(conn, actor=user, action="person.merge_undo", target_type="person",
                 target_id=row.merged, desa=row.desa,
                 detail={"merge": merge_id, "survivor": row.survivor, "documents": len(docs)})
    return now


def can_undo(row: sa.Row) -> bool:
    return row.undone_at is None and _now() <= row.undo_until
