"""Corrections sent back to the village (docs/review.md, "Corrections sent back to the village").

A reviewer's *minta perbaikan* becomes a `task` for the desa's Pustu, written through the one
write path as the reviewer, so it replicates to the Pustu's tablet like any follow-up:

* its id is a UUIDv5 of the record, the revision reviewed and "koreksi": a double click, a
  retried request or a second reviewer asking about the same revision name one task;
* `rule` "koreksi" and `covers` the flag rules open on the record: the PWA tells a correction
  from a clinical follow-up by its rule, and shows what to fix from its reason;
* `reason` names the record and the problem in words ("Perbaiki kunjungan 12 Nov 2026: tinggi
  17 cm, sebelumnya 71 cm") and the reviewer's note; `origin` is the visit, `pregnancy` the
  pregnancy, `person` the person;
* due REVIEW_CORRECTION_DUE_DAYS after the request.

The correction closes it (`closing`, an entry of backend/followup/registry.py, run in the
transaction of the write that brings the correction): a visit is written once, so it is
corrected by a new encounter whose `corrects` names it; a person or a pregnancy is corrected by
an edit a user makes after the task was created. The task becomes `done` with `outcome_code`
"dikoreksi" and the outcome in words. A task already closed or cancelled is never touched.

A later verdict of *benar* or *tidak relevan* on the record withdraws its still-open task
(`withdrawn`: cancelled, with why), so the bidan is not sent to fix what the Puskesmas now
accepts; a task she has started stays hers.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from backend.documents.field_ts import apply_changes
from backend.followup.inputs import bodies
from backend.followup.tasks import OPEN, SYSTEM, Context
from backend.projections.tables import tasks
from backend.review.summary import day

# Fixed forever: changing it would name every correction task anew.
NAMESPACE = uuid.UUID("8c61e0a4-2f4b-5d8e-b7a3-4e9d0c15f2a6")
RULE = "koreksi"
SOURCE = "Tinjauan Puskesmas"
REASON_MAX = 300          # TaskSchema.reason
WITHDRAWN = "Dibatalkan: Puskesmas meninjau ulang dan tidak meminta perbaikan lagi."
NOUNS = {"encounter": "kunjungan", "pregnancy": "data kehamilan",
         "person": "data pendaftaran"}


def task_id(record_id: str, rev: str) -> str:
    """The one correction task of one revision of a record."""
    return f"task:{uuid.uuid5(NAMESPACE, f'{record_id}|{rev}|{RULE}')}"


def reason(record: dict, details: list[str], note: str | None) -> str:
    """"Perbaiki kunjungan 12 Nov 2026: tinggi 17 cm, sebelumnya 71 cm. Catatan: …", cut to
    the schema's 300 characters."""
    head = f"Perbaiki {NOUNS[record['type']]}"
    if record["type"] == "encounter":
        head += f" {day(record['date'])}"
    elif record["type"] == "pregnancy" and record.get("hpht"):
        head += f" (HPHT {day(record['hpht'])})"
    problem = "; ".join(_mid_sentence(d) for d in dict.fromkeys(details) if d)
    text = f"{head}: {problem}" if problem else head
    if note:
        text += f". Catatan peninjau: {note.strip()}" if problem else f": {note.strip()}"
    elif not problem:
        text += ": periksa kembali isiannya"
    return text if len(text) <= REASON_MAX else text[:REASON_MAX - 1] + "…"


def _mid_sentence(detail: str) -> str:
    """A flag's detail after a colon: its first letter lower case, unless it starts an
    abbreviation ("PB/U z −6,59" stays)."""
    return detail[0].lower() + detail[1:] if len(detail) > 1 and detail[1].islower() else detail


def correction_task(record: dict, rules: list[str], details: list[str], note: str | None, *,
                    place: str | None, due: dt.date, now: str, username: str) -> dict:
    """The open correction task for `record` (a live winner with `_id`, `_rev`, `type`)."""
    person = record["_id"] if record["type"] == "person" else record["person"]
    doc = {"_id": task_id(record["_id"], record["_rev"]), "type": "task", "schema": 1,
           "desa": record["desa"], "created_at": now, "created_by": username,
           "person": person, "reason": reason(record, details, note),
           "due_date": due.isoformat(), "status": "open", "source": SOURCE, "rule": RULE}
    if record["type"] == "encounter":
        doc["origin"] = record["_id"]
    if record["type"] == "pregnancy":
        doc["pregnancy"] = record["_id"]
    if rules:
        doc["covers"] = sorted(set(rules))
    if place:
        doc["assigned_place"] = place
    return doc


def open_tasks(conn: sa.Connection, records: dict[str, dict]) -> list[dict]:
    """The still-`open` correction tasks about `records` (id -> body): a visit's, a
    pregnancy's, a person's own. One the bidan has started (`in_progress`) is hers."""
    ids = list(records)
    own = sa.and_(tasks.c.person_id.in_(ids), tasks.c.origin_id.is_(None),
                  tasks.c.pregnancy_id.is_(None))
    found = conn.execute(sa.select(tasks.c.id).where(
        tasks.c.rule == RULE, tasks.c.status == "open",
        sa.or_(tasks.c.origin_id.in_(ids), tasks.c.pregnancy_id.in_(ids), own))).scalars()
    return list(bodies(conn, list(found)).values())


def withdrawn(task: dict, username: str, now: str) -> dict:
    """An open correction task cancelled because a later verdict found the record right."""
    doc = apply_changes(task, {"status": "cancelled", "outcome": WITHDRAWN}, now)
    return {**doc, "_id": task["_id"], "_rev": task["_rev"], "updated_at": now,
            "updated_by": username}


# --- closing: the derivers (backend/followup/registry.py) ----------------------------------

def closed_by_visits(conn: sa.Connection, found: dict[str, dict], context: Context
                     ) -> list[dict]:
    """Close the correction task of each visit a new encounter of the batch `corrects`."""
    by_record = {b["corrects"]: {**b, "_id": i} for i, b in found.items() if b.get("corrects")}
    return _close(conn, tasks.c.origin_id, by_record, context)


def closed_by_person_edits(conn: sa.Connection, found: dict[str, dict], context: Context
                           ) -> list[dict]:
    """Close a person's own correction task (not one of her visits') when a user edits her."""
    return _close(conn, tasks.c.person_id, _edited(found), context,
                  tasks.c.origin_id.is_(None), tasks.c.pregnancy_id.is_(None))


def closed_by_pregnancy_edits(conn: sa.Connection, found: dict[str, dict], context: Context
                              ) -> list[dict]:
    return _close(conn, tasks.c.pregnancy_id, _edited(found), context)


def _edited(found: dict[str, dict]) -> dict[str, dict]:
    """The documents a person edited (not the system; not a merge marking a duplicate)."""
    return {i: {**b, "_id": i} for i, b in found.items()
            if b.get("updated_by") not in (None, SYSTEM) and b.get("updated_at")
            and not b.get("merged_into")}


def _close(conn: sa.Connection, column: sa.Column, by_record: dict[str, dict],
           context: Context, *where: sa.ColumnElement[bool]) -> list[dict]:
    if not by_record:
        return []
    ids = conn.execute(sa.select(tasks.c.id).where(
        tasks.c.rule == RULE, tasks.c.status.in_(OPEN), column.in_(list(by_record)),
        *where)).scalars().all()
    out = []
    for task in bodies(conn, ids).values():
        key = task.get("origin") or task.get("pregnancy") or task["person"]
        correction = by_record.get(key)
        if correction is not None and _after(correction, task):
            out.append(_done(task, _outcome(correction), context.now))
    return out


def _after(correction: dict, task: dict) -> bool:
    """A visit correcting the task's visit always closes it (the task asked for exactly that);
    an edit closes it when made after the task was created (not a late replica of an older
    edit)."""
    if correction.get("type") == "encounter":
        return True
    return _instant(correction["updated_at"]) > _instant(task["created_at"])


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _outcome(correction: dict) -> str:
    """The task's outcome in words (a username is not a name: only a visit's provider is)."""
    if correction.get("type") == "encounter":
        who = correction.get("provider")
        return (f"Sudah dikoreksi: kunjungan pengganti {day(correction['date'])}"
                + (f" oleh {who}" if who else "") + ".")
    noun = NOUNS.get(correction.get("type"), "data")
    return f"Sudah dikoreksi: {noun} diubah {day(correction['updated_at'])}."


def _done(task: dict, outcome: str, now: str) -> dict:
    doc = apply_changes(task, {"status": "done", "outcome_code": "dikoreksi",
                               "outcome": outcome, "done_at": now}, now)
    return {**doc, "_id": task["_id"], "_rev": task["_rev"], "updated_at": now,
            "updated_by": SYSTEM}
