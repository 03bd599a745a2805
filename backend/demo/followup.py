"""Old follow-up tasks closed as the Pustu would have closed them.

When the seed stores two years of encounters, the server derives a follow-up `task` from each
finding that calls for one (backend/followup, config/ilp/followup.json), every one `open`,
many due long ago. A demo in which every finding of two years is still overdue is not one a
midwife believes. After the records are stored, this step gives the derived tasks the history
they would have had: most closed by the desa's midwife around their due date with an outcome
(came, referred on, did not come, moved away), some still open (what the overdue list is for),
recent ones mostly open. Tasks without an `origin` (the demo's own PWS tasks) are left alone.
The edits go through the one write path as new revisions of the server's documents.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import sqlalchemy as sa

from backend.demo.common import WIB
from backend.demo.staff import DesaStaff
from backend.sync.tables import documents
from backend.writes import write_docs

BATCH_SIZE = 500
# Share of derived tasks closed, by how far the due date lies behind today.
CLOSED_LONG_PAST = 0.95     # due more than 30 days ago
CLOSED_JUST_PAST = 0.8      # due in the last 30 days
# (outcome_code, status, weight, outcome in words)
OUTCOMES = (
    ("datang", "done", 70, "Datang ke Pustu: diperiksa ulang, diberi konseling dan jadwal kontrol"),
    ("dirujuk", "done", 12, "Dirujuk ke Puskesmas; hasil pemeriksaan tercatat di sana"),
    ("tidak_datang", "done", 12,
     "Tidak datang setelah dua kali dihubungi; kader mengingatkan keluarga saat kunjungan rumah"),
    ("pindah", "cancelled", 6, "Pindah domisili; Puskesmas tujuan sudah diberi tahu"),
)


def closed(task: dict, today: dt.date, rng: random.Random) -> dict | None:
    """The task as its midwife left it, or None when it stays open (pure)."""
    if not task.get("origin") or task.get("status") != "open":
        return None
    due = dt.date.fromisoformat(task["due_date"])
    late = (today - due).days
    share = CLOSED_LONG_PAST if late > 30 else CLOSED_JUST_PAST if late > 0 else 0.0
    if rng.random() >= share:
        return None
    created = dt.datetime.fromisoformat(task["created_at"]).astimezone(WIB).date()
    day = min(today, max(created, due + dt.timedelta(days=rng.randint(-3, 10))))
    code, status, _weight, text = rng.choices(OUTCOMES, [o[2] for o in OUTCOMES])[0]
    minute = rng.randrange(8 * 60, 14 * 60)
    moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), WIB).isoformat()
    by = DesaStaff.of(task["desa"]).bidan.username
    changed = {"status": status, "outcome_code": code, "outcome": text}
    if status == "done":
        changed["done_at"] = moment
    field_ts = {**task.get("field_ts", {}), **dict.fromkeys(changed, moment)}
    return {**task, **changed, "updated_at": moment, "updated_by": by, "field_ts": field_ts}


def close_old_followups(conn: sa.Connection, today: dt.date, seed: int) -> int:
    """Close the derived tasks the store holds as above; returns how many were edited."""
    rows = conn.execute(sa.select(documents.c.id, documents.c.winner, documents.c.body)
                        .where(documents.c.type == "task", documents.c.deleted.is_(False))
                        .order_by(documents.c.seq)).all()
    edits = []
    for row in rows:
        body = json.loads(row.body) if isinstance(row.body, str) else dict(row.body)
        # One generator per task: the outcome does not depend on which other tasks exist.
        edit = closed(body, today, random.Random(f"{seed}:{row.id}"))
        if edit:
            edits.append({**edit, "_id": row.id, "_rev": row.winner})
    for begin in range(0, len(edits), BATCH_SIZE):
        results = write_docs(conn, edits[begin:begin + BATCH_SIZE], None)
        refused = next((r for r in results if not r.get("ok")), None)
        if refused:
            raise RuntimeError(f"closing {refused['id']} refused: {refused.get('reason')}")
    return len(edits)
