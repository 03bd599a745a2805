"""The queue's items: what a reviewer reads of each record (docs/review.md, "The review queue").

One read per kind of fact for the whole page (bodies, flags, verdicts, corrections, names),
never one per record. People are named, never shown by username or id: a person by name, a
place by name, a reviewer or a kader by the display name of their account.

`synced_at`: the store keeps an update sequence, not a clock, and a tablet's own timestamps say
when a kader recorded, not when the record reached the Puskesmas. The one honest time of
arrival the server has is the audit row of a write through the API (`document.write`); a
record that came by replication has none, and its `synced_at` is null rather than a guess.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.auth.tables import users
from backend.clinical import quality
from backend.projections.tables import encounters, persons, places, quality_flags
from backend.review import summary
from backend.review.state import flag_open
from backend.review.tables import reviews
from backend.sync.tables import documents

FLAG_FALLBACK = "Tanda mutu data"


def rule_labels(config: dict) -> dict[str, str]:
    """quality.json rule id → its Indonesian name (`label.id`; the PWA shows `label.en` in
    English)."""
    out = {}
    for rule in config.get("quality", {}).get("rules", []):
        label = rule.get("label")
        out[rule["id"]] = (label.get("id") if isinstance(label, dict) else label) or FLAG_FALLBACK
    return out


def describe(conn: sa.Connection, config: dict, ids: Sequence[str],
             scopes: Iterable[str]) -> list[dict]:
    """The items of `ids`, in that order (ids that are not live records are left out).
    `scopes`: the reviewer's desa. A visit stays in the desa where it was made when its
    person moves away; her name is then another desa's to show, and the item says none."""
    if not ids:
        return []
    ids = list(ids)
    bodies = _bodies(conn, ids)
    verdicts = _verdicts(conn, ids)
    person_ids = {b["_id"] if b["type"] == "person" else b.get("person") for b in bodies.values()}
    names = _person_names(conn, [p for p in person_ids if p], scopes)
    place_names = _place_names(conn, [b.get("place") for b in bodies.values() if b.get("place")])
    people = _display_names(conn, {v.reviewed_by for v in verdicts.values()}
                            | {b.get("created_by") for b in bodies.values()})
    flags = _flags(conn, ids, rule_labels(config), verdicts, people)
    corrections = _corrections(conn, ids)
    arrivals = _arrivals(conn, ids)
    out = []
    for doc_id in ids:
        body = bodies.get(doc_id)
        if body is None:
            continue
        person_id = doc_id if body["type"] == "person" else body.get("person")
        verdict = verdicts.get(doc_id)
        out.append({
            "id": doc_id, "type": body["type"], "person_id": person_id,
            "person_name": names.get(person_id), "date": record_date(body),
            "summary": summary.summary(config, body),
            "where": summary.where(body, place_names),
            "by": body.get("provider") or people.get(body.get("created_by"))
            or body.get("created_by"),
            "synced_at": arrivals.get(doc_id), "flags": flags.get(doc_id, []),
            "review": _review(verdict, people) if verdict else None,
            "corrected_by": corrections.get(doc_id)})
    return out


def record_date(body: dict) -> str:
    """The record's date (the common contract, one definition: backend/clinical/quality.py):
    a visit's date; a pregnancy's HPHT, else the day it was registered; a person's
    registration day."""
    return quality.record_date(body) or ""


def record_day(body: dict) -> dt.date:
    return dt.date.fromisoformat(record_date(body))


def _bodies(conn: sa.Connection, ids: list[str]) -> dict[str, dict]:
    rows = conn.execute(sa.select(documents.c.id, documents.c.winner, documents.c.body).where(
        documents.c.id.in_(ids), documents.c.deleted.is_(False)))
    return {row.id: {**json.loads(row.body), "_id": row.id, "_rev": row.winner} for row in rows}


def _verdicts(conn: sa.Connection, ids: list[str]) -> dict[str, sa.Row]:
    return {row.doc_id: row for row in conn.execute(
        sa.select(reviews).where(reviews.c.doc_id.in_(ids)))}


def _flags(conn: sa.Connection, ids: list[str], labels: dict[str, str],
           verdicts: dict[str, sa.Row], people: dict[str, str]) -> dict[str, list[dict]]:
    q = quality_flags
    rows = conn.execute(sa.select(q.c.doc_id, q.c.rule, q.c.detail,
                                  flag_open(q).label("open"))
                        .where(q.c.doc_id.in_(ids)).order_by(q.c.doc_id, q.c.id))
    out: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        verdict = verdicts.get(row.doc_id)
        verified = None if row.open or verdict is None else people.get(
            verdict.reviewed_by, verdict.reviewed_by)
        out[row.doc_id].append({"rule": row.rule, "label": labels.get(row.rule, FLAG_FALLBACK),
                                "detail": row.detail, "open": bool(row.open),
                                "verified_by": verified})
    # Open flags first: they are what the reviewer has to decide on.
    return {k: sorted(v, key=lambda f: not f["open"]) for k, v in out.items()}


def _review(verdict: sa.Row, people: dict[str, str]) -> dict:
    return {"status": verdict.status, "by": people.get(verdict.reviewed_by, verdict.reviewed_by),
            "at": verdict.reviewed_at, "note": verdict.note, "task_id": verdict.task_id}


def _corrections(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    """Corrected record → the latest encounter correcting it (by date, then id)."""
    rows = conn.execute(sa.select(encounters.c.corrects_id, encounters.c.id)
                        .where(encounters.c.corrects_id.in_(ids))
                        .order_by(encounters.c.date, encounters.c.id))
    return {row.corrects_id: row.id for row in rows}


def _arrivals(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    """The latest API write of each record (see the module's docstring)."""
    a = audit_log.c
    rows = conn.execute(sa.select(a.target_id, sa.func.max(a.at))
                        .where(a.action == "document.write", a.target_id.in_(ids))
                        .group_by(a.target_id))
    out = {}
    for target, value in rows:
        at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)   # SQLite: naive UTC
        out[target] = at.isoformat(timespec="seconds").replace("+00:00", "Z")
    return out


def _person_names(conn: sa.Connection, ids: list[str], scopes: Iterable[str]
                  ) -> dict[str, str]:
    return dict(conn.execute(sa.select(persons.c.id, persons.c.name).where(
        persons.c.id.in_(ids), persons.c.desa.in_(sorted(scopes)))).all())


def _place_names(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    return dict(conn.execute(sa.select(places.c.id, places.c.name)
                             .where(places.c.id.in_(ids))).all()) if ids else {}


def _display_names(conn: sa.Connection, usernames: set[str | None]) -> dict[str, str]:
    names = sorted(u for u in usernames if u)
    return dict(conn.execute(sa.select(users.c.username, users.c.display_name)
                             .where(users.c.username.in_(names))).all()) if names else {}
