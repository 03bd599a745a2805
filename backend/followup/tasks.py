"""The task documents of derived follow-up, built from one follow-up (pure functions).

A derived task's id is a UUIDv5 of the encounter id and the rule: deriving the same encounter
twice, here or on another server, names the same task, so the second time is a no-op. Its body
is a function of the encounter and the config only (created when the finding was recorded, by
the system), so two servers that derive the same task write the same revision id too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from backend.documents.field_ts import apply_changes

# Fixed forever: changing it would re-derive every task under new ids.
NAMESPACE = uuid.UUID("5b0f3c59-8f3e-5a43-9d8e-1f6c2a7e4b10")
SYSTEM = "siklus-tindak-lanjut"   # created_by / updated_by of what the server derives
# task.source is shown to people as it stands ("Dari: …"): where the finding was made, in
# words (the PWA's setting labels, pwa/static/js/i18n/id.js `setting.*`).
SOURCES = {"posyandu": "Temuan di Posyandu", "pustu": "Temuan di Pustu",
           "puskesmas": "Temuan di Puskesmas", "home": "Temuan kunjungan rumah",
           "fktp": "Temuan FKTP jejaring"}
OPEN = ("open", "in_progress")
# The rule of a correction task the Puskesmas review sends (backend/review/corrections.py):
# the follow-up deriver never cancels one when a visit is corrected, that closes it instead.
CORRECTION_RULE = "koreksi"
# Why a task is cancelled when the visit it came from was corrected without the finding.
CORRECTED = "Dibatalkan otomatis: hasil kunjungan dikoreksi dan temuan ini tidak ada lagi."


@dataclass(frozen=True)
class Context:
    """What every deriver of one batch shares."""

    config: dict            # the installation's config/ilp
    now: str                # updated_at of the edits it makes
    since: str | None       # ISO date: records dated before derive nothing (None: all)
    # person id -> (person body or None, encounter/pregnancy bodies) already read by this
    # write, after projection (backend/pws/refresh.py Records): not read a second time.
    records: dict = field(default_factory=dict)


def task_id(encounter_id: str, rule: str) -> str:
    return f"task:{uuid.uuid5(NAMESPACE, f'{encounter_id}|{rule}')}"


def new_task(encounter_id: str, encounter: dict, follow_up: dict, place: str | None) -> dict:
    """The open task for one follow-up of an encounter; `place` is the assigned place's id."""
    due = dt.date.fromisoformat(encounter["date"]) + dt.timedelta(days=follow_up["due_in_days"])
    doc = {"_id": task_id(encounter_id, follow_up["rule"]), "type": "task", "schema": 1,
           "desa": encounter["desa"], "created_at": encounter["created_at"],
           "created_by": SYSTEM, "person": encounter["person"], "reason": follow_up["reason"],
           "due_date": due.isoformat(), "status": "open",
           "source": SOURCES.get(encounter.get("setting"), "Temuan kunjungan"),
           "origin": encounter_id, "rule": follow_up["rule"],
           "urgent": bool(follow_up["urgent"])}
    if place:
        doc["assigned_place"] = place
    if follow_up.get("cluster"):
        doc["cluster"] = follow_up["cluster"]
    if follow_up.get("covers"):
        doc["covers"] = list(follow_up["covers"])
    return doc


def cancelled(task: dict, rev: str, now: str) -> dict:
    """An edit of an open derived task that cancels it (stamped per field like any edit)."""
    doc = apply_changes(task, {"status": "cancelled", "outcome": CORRECTED}, now)
    return {**doc, "_id": task["_id"], "_rev": rev, "updated_at": now, "updated_by": SYSTEM}
