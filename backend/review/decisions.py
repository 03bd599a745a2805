"""A reviewer's verdicts on records (docs/review.md, "The review queue").

`decide` takes one verdict for 1..200 records, all or nothing, in the caller's transaction:

* every id must be a live record (person, encounter, pregnancy; not a person merged away) of a
  desa of the reviewer's area; an unknown id and one outside the area are the same 404, a
  task or a household in the area is a 422 (not something the queue reviews);
* each record gets one `reviews` row (its latest verdict: an earlier one is replaced, its
  history is in the audit log) naming the revision decided on and the flag rules open at that
  moment, which is what resolves those flags for *benar* and *tidak relevan*
  (backend/review/state.py);
* *perbaikan* also writes a correction task per record to the desa's Pustu through the one
  write path, as the reviewer (backend/review/corrections.py); *benar* and *tidak relevan*
  withdraw a correction task still open from an earlier *perbaikan*;
* every verdict is one audit row (`review.decide`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from backend import audit, clock
from backend.auth.users import User
from backend.followup.inputs import places_of
from backend.projections.tables import persons, quality_flags
from backend.review import corrections
from backend.review.items import record_day
from backend.review.queue import TYPES
from backend.review.state import STATUSES, flag_open
from backend.review.tables import reviews
from backend.sync.tables import documents, sync_meta
from backend.writes import write_docs

MAX_RECORDS = 200
NOTE_MAX = 300


class DecisionError(Exception):
    """Refused: nothing was changed. `status` is the HTTP status the API answers."""

    def __init__(self, status: int, message: str, ids: list[str] | None = None):
        super().__init__(message)
        self.status, self.message, self.ids = status, message, ids or []


@dataclass
class Decided:
    decided: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


def _now() -> str:
    return clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")


def check(decision: str, ids: list[str], note: str | None) -> list[str]:
    """The ids without repeats, or DecisionError (422) for a request that cannot be right."""
    if decision not in STATUSES:
        raise DecisionError(422, f"Putusan {decision!r} tidak dikenal: pilih benar, perbaikan "
                                 f"atau tidak_relevan.")
    unique = list(dict.fromkeys(ids))
    if not 1 <= len(unique) <= MAX_RECORDS:
        raise DecisionError(422, f"Pilih 1 sampai {MAX_RECORDS} catatan sekali putus "
                                 f"({len(unique)} dikirim).")
    if note is not None and len(note) > NOTE_MAX:
        raise DecisionError(422, f"Catatan paling panjang {NOTE_MAX} huruf.")
    return unique


def load_records(conn: sa.Connection, user: User, ids: list[str]) -> dict[str, dict]:
    """The live winners of `ids`, each checked (see the module's docstring)."""
    rows = conn.execute(sa.select(documents.c.id, documents.c.type, documents.c.scope,
                                  documents.c.winner, documents.c.body)
                        .where(documents.c.id.in_(ids), documents.c.deleted.is_(False))).all()
    found = {row.id: row for row in rows}
    merged = set(conn.execute(sa.select(persons.c.id).where(
        persons.c.id.in_(ids), persons.c.merged_into_id.is_not(None))).scalars())
    unknown = [i for i in ids if i not in found or found[i].scope not in user.scopes
               or i in merged]
    if unknown:
        raise DecisionError(404, "Catatan tidak dikenal atau di luar wilayah Anda: "
                                 f"{', '.join(unknown)}. Tidak ada yang diubah.", unknown)
    other = [i for i in ids if found[i].type not in TYPES]
    if other:
        raise DecisionError(422, "Hanya pendaftaran warga, kunjungan dan kehamilan yang "
                                 f"ditinjau: {', '.join(other)}. Tidak ada yang diubah.", other)
    return {i: {**json.loads(found[i].body), "_id": i, "_rev": found[i].winner} for i in ids}


def open_flags(conn: sa.Connection, ids: list[str]) -> dict[str, list[sa.Row]]:
    """Each record's open flags now (rule and detail), in flag order."""
    q = quality_flags.c
    rows = conn.execute(sa.select(q.doc_id, q.rule, q.detail)
                        .where(q.doc_id.in_(ids), flag_open(quality_flags)).order_by(q.id))
    out: dict[str, list[sa.Row]] = defaultdict(list)
    for row in rows:
        out[row.doc_id].append(row)
    return out


def decide(conn: sa.Connection, user: User, decision: str, ids: list[str],
           note: str | None = None) -> Decided:
    """Record `decision` on every record of `ids` (see the module's docstring). Raises
    DecisionError before anything is written; a store refusal of a correction task raises it
    too, and the caller's transaction then rolls everything back."""
    note = (note or "").strip() or None
    ids = check(decision, ids, note)
    # The store's write lock first (as backend/pws/followup.py): two reviewers deciding on the
    # same records at once run one after the other, and the second sees the first's verdict.
    conn.execute(sa.select(sync_meta.c.id).where(sync_meta.c.id == 1).with_for_update())
    records = load_records(conn, user, ids)
    flags = open_flags(conn, ids)
    if decision == "perbaikan":
        task_ids = _write_corrections(conn, user, records, flags, note)
    else:
        task_ids = {}
        _withdraw_corrections(conn, user, records)
    now = _now()
    conn.execute(reviews.delete().where(reviews.c.doc_id.in_(ids)))
    conn.execute(reviews.insert(), [_row(records[i], decision, flags.get(i, []), note,
                                         task_ids.get(i), user, now) for i in ids])
    for doc_id in ids:
        record = records[doc_id]
        audit.record(conn, actor=user, action="review.decide", target_type=record["type"],
                     target_id=doc_id, desa=record["desa"],
                     detail={"decision": decision, "rev": record["_rev"],
                             "rules": [f.rule for f in flags.get(doc_id, [])],
                             "task": task_ids.get(doc_id), "note": note})
    return Decided(ids, [task_ids[i] for i in ids if i in task_ids])


def _row(record: dict, decision: str, flags: list[sa.Row], note: str | None,
         task_id: str | None, user: User, now: str) -> dict:
    return {"doc_id": record["_id"], "doc_type": record["type"], "desa": record["desa"],
            "person_id": record["_id"] if record["type"] == "person" else record["person"],
            "date": record_day(record), "rev": record["_rev"], "status": decision,
            "rules": ",".join(dict.fromkeys(f.rule for f in flags)) or None, "note": note,
            "task_id": task_id, "reviewed_by": user.username, "reviewed_at": now}


def _withdraw_corrections(conn: sa.Connection, user: User, records: dict[str, dict]) -> None:
    """Cancel the open correction tasks of records now found right (corrections.py)."""
    now = _now()
    docs = [corrections.withdrawn(task, user.username, now)
            for task in corrections.open_tasks(conn, records)]
    if not docs:
        return
    for doc, result in zip(docs, write_docs(conn, docs, user), strict=True):
        if result.get("error"):
            raise DecisionError(409, "Tugas perbaikan berubah saat diputus; muat ulang dan "
                                     "coba lagi.", [doc["_id"]])
        audit.record(conn, actor=user, action="document.write", target_type="task",
                     target_id=doc["_id"], desa=doc["desa"],
                     detail={"rev": result["rev"], "via": corrections.SOURCE,
                             "fields": ["outcome", "status"]})


def _write_corrections(conn: sa.Connection, user: User, records: dict[str, dict],
                       flags: dict[str, list[sa.Row]], note: str | None) -> dict[str, str]:
    """record id → its correction task's id, written (or already there: same revision)."""
    pustu, puskesmas = places_of(conn, sorted({r["desa"] for r in records.values()}))
    due = clock.today() + dt.timedelta(days=current_app.config["REVIEW_CORRECTION_DUE_DAYS"])
    now, docs = _now(), []
    for doc_id, record in records.items():
        found = flags.get(doc_id, [])
        docs.append((doc_id, corrections.correction_task(
            record, [f.rule for f in found], [f.detail for f in found], note,
            place=pustu.get(record["desa"], puskesmas), due=due, now=now,
            username=user.username)))
    out = {}
    results = write_docs(conn, [doc for _, doc in docs], user)
    for (record_id, doc), result in zip(docs, results, strict=True):
        out[record_id] = doc["_id"]
        if result.get("error") == "conflict":
            continue   # this revision's correction was asked for already: the same task
        if result.get("error"):
            raise DecisionError(422, f"Tugas perbaikan untuk {record_id} ditolak: "
                                     f"{result.get('reason') or result['error']}", [record_id])
        audit.record(conn, actor=user, action="document.write", target_type="task",
                     target_id=doc["_id"], desa=doc["desa"],
                     detail={"rev": result["rev"], "via": corrections.SOURCE,
                             "fields": sorted(k for k in doc if not k.startswith("_"))})
    return out
