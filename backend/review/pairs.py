"""Possible duplicates as the reviewer sees them: the open pairs of a desa, two persons side by
side, and the verdict "bukan orang yang sama" (docs/review.md, "Duplicates").

Reads `duplicate_pairs` (backend/review/duplicates.py keeps it) and the person projections;
writes only `duplicate_verdicts`. Scope is the caller's set of desa: a pair is shown only
when both persons are inside it, so a reviewer never learns of a person of another area.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from backend import clock
from backend.clinical.duplicates import compare
from backend.projections.tables import (
    duplicate_pairs,
    encounters,
    households,
    persons,
    places,
    pregnancies,
    tasks,
)
from backend.review.duplicates import config, summaries
from backend.review.state import pair_open
from backend.review.tables import duplicate_verdicts
from backend.sync.tables import documents

VERDICT = "bukan_duplikat"
# The comparison shows words, never codes (the PWA's catalogue says the same: i18n/id.js).
WORDS = {"sex": {"L": "Laki-laki", "P": "Perempuan"},
         "relation": {"kepala": "Kepala keluarga", "istri": "Istri", "suami": "Suami",
                      "anak": "Anak", "menantu": "Menantu", "cucu": "Cucu",
                      "orang_tua": "Orang tua", "mertua": "Mertua", "famili": "Famili lain",
                      "lainnya": "Lainnya"}}
# What the side-by-side comparison lists, in this order, with its Indonesian label.
FIELDS = (("name", "Nama"), ("sex", "Jenis kelamin"), ("birth_date", "Tanggal lahir"),
          ("nik", "NIK"), ("no_kk", "No. KK"), ("household_name", "Keluarga (kepala)"),
          ("relation", "Hubungan dalam keluarga"), ("mother_name", "Nama ibu"),
          ("desa_name", "Desa"), ("created_at", "Didaftarkan"), ("encounters", "Kunjungan"),
          ("last_visit", "Kunjungan terakhir"))


class PairRefused(Exception):
    """A verdict or comparison that cannot be: `status` 404 (unknown or outside the area),
    409 (merged away, already decided) or 422 (a person with itself)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Page:
    items: list[dict]
    next: str | None


def open_pairs(conn: sa.Connection, scopes: Collection[str], desa: str, after: str | None,
               limit: int) -> Page:
    """Open pairs touching `desa` with both persons inside `scopes`, best score first."""
    d = duplicate_pairs.c
    allowed = sorted(scopes)
    query = (sa.select(d.person_a, d.person_b, d.score, d.reasons)
             .where(sa.or_(d.desa_a == desa, d.desa_b == desa), d.desa_a.in_(allowed),
                    d.desa_b.in_(allowed), pair_open())
             .order_by(d.score.desc(), d.person_a, d.person_b).limit(limit + 1))
    if after:
        score, a, b = decode_cursor(after)
        query = query.where(sa.or_(d.score < score, sa.and_(
            d.score == score, sa.tuple_(d.person_a, d.person_b) > sa.tuple_(a, b))))
    rows = conn.execute(query).all()
    shown = rows[:limit]
    people = cards(conn, [pid for row in shown for pid in (row.person_a, row.person_b)],
                   allowed)
    items = [{"a": people[row.person_a], "b": people[row.person_b], "score": row.score,
              "reasons": reason_labels(row.reasons.split(","))} for row in shown]
    more = len(rows) > limit
    return Page(items, encode_cursor(shown[-1]) if more else None)


def side_by_side(conn: sa.Connection, scopes: Collection[str], a: str, b: str) -> dict:
    """Two persons of the caller's area, their score and reasons, and field by field."""
    people = _two(conn, scopes, a, b)
    found = _scored(conn, a, b)
    fields = [{"field": name, "label": label, "a": _shown(people[a], name),
               "b": _shown(people[b], name), "same": people[a][name] == people[b][name]}
              for name, label in FIELDS]
    return {"a": people[a], "b": people[b], "score": found["score"],
            "reasons": reason_labels(found["reasons"]), "fields": fields}


def dismiss(conn: sa.Connection, user, scopes: Collection[str], a: str, b: str) -> dict:
    """Record that `a` and `b` are two persons: the pair is never listed again. Returns the
    audit detail; refuses (PairRefused) a person merged away or a pair already decided."""
    people = _two(conn, scopes, a, b)
    merged = [pid for pid in (a, b) if people[pid]["merged_into"]]
    if merged:
        raise PairRefused(409, f"{people[merged[0]]['name']} sudah digabung ke orang lain.")
    first, second = sorted((a, b))
    v = duplicate_verdicts.c
    if conn.execute(sa.select(v.verdict).where(v.person_a == first, v.person_b == second)).first():
        raise PairRefused(409, "Pasangan ini sudah dinyatakan bukan orang yang sama.")
    conn.execute(duplicate_verdicts.insert().values(
        person_a=first, person_b=second, verdict=VERDICT, decided_by=user.username,
        decided_at=clock.utc_now().isoformat()))
    found = _scored(conn, a, b)
    return {"a": first, "b": second, "score": found["score"], "reasons": found["reasons"],
            "desa": people[first]["desa"]}


def reason_labels(codes: Sequence[str]) -> list[dict]:
    labels = {item["code"]: item["label"] for item in config()["duplicates"]["evidence"]}
    return [{"code": code, "label": labels[code]} for code in codes if code in labels]


def cards(conn: sa.Connection, ids: Sequence[str], scopes: Collection[str]) -> dict[str, dict]:
    """The reviewer's view of each person: identity, family, and what their record holds. A
    household or mother of a desa outside `scopes` is joined as absent (a baby who moved in
    keeps its old household: its name and no. KK are not the reviewer's to see)."""
    if not ids:
        return {}
    allowed = sorted(scopes)
    p, h, m = persons, households, persons.alias("mother")
    desa_place = places.alias("desa_place")
    counted = {
        "encounters": sa.select(sa.func.count()).where(encounters.c.person_id == p.c.id),
        "pregnancies": sa.select(sa.func.count()).where(pregnancies.c.person_id == p.c.id),
        "tasks": sa.select(sa.func.count()).where(tasks.c.person_id == p.c.id),
        "last_visit": sa.select(sa.func.max(encounters.c.date))
        .where(encounters.c.person_id == p.c.id)}
    query = (sa.select(p.c.id, p.c.name, p.c.sex, p.c.birth_date, p.c.nik, p.c.desa,
                       p.c.household_id, p.c.relation, p.c.merged_into_id, h.c.no_kk,
                       h.c.head_name, m.c.name.label("mother_name"),
                       desa_place.c.name.label("desa_name"),
                       *(sub.scalar_subquery().label(name) for name, sub in counted.items()))
             .select_from(p.outerjoin(h, sa.and_(h.c.id == p.c.household_id,
                                                 h.c.desa.in_(allowed)))
                          .outerjoin(m, sa.and_(m.c.id == p.c.mother_id, m.c.desa.in_(allowed)))
                          .outerjoin(desa_place, sa.and_(desa_place.c.kind == "desa",
                                                         desa_place.c.code == p.c.desa)))
             .where(p.c.id.in_(sorted(set(ids))), p.c.desa.in_(allowed)))
    registered = _registered(conn, ids)
    return {r.id: {"id": r.id, "name": r.name, "sex": r.sex,
                   "birth_date": r.birth_date.isoformat(), "nik": r.nik, "no_kk": r.no_kk,
                   "household_id": r.household_id, "household_name": r.head_name,
                   "desa": r.desa, "desa_name": r.desa_name, "relation": r.relation,
                   "mother_name": r.mother_name, "created_at": registered.get(r.id),
                   "encounters": r.encounters, "pregnancies": r.pregnancies, "tasks": r.tasks,
                   "last_visit": r.last_visit.isoformat() if r.last_visit else None,
                   "merged_into": r.merged_into_id}
            for r in conn.execute(query)}


def encode_cursor(row) -> str:
    raw = json.dumps([row.score, row.person_a, row.person_b]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[float, str, str]:
    """The position after which the next page starts; ValueError when it is not one."""
    try:
        score, a, b = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ValueError("kursor halaman tidak dikenal") from exc
    if not isinstance(score, (int, float)) or not isinstance(a, str) or not isinstance(b, str):
        raise ValueError("kursor halaman tidak dikenal")
    return float(score), a, b


def _two(conn: sa.Connection, scopes: Collection[str], a: str, b: str) -> dict[str, dict]:
    if a == b:
        raise PairRefused(422, "Orang yang sama tidak dapat dibandingkan dengan dirinya.")
    people = cards(conn, [a, b], scopes)
    for pid in (a, b):
        if pid not in people:
            raise PairRefused(404, f"Orang {pid!r} tidak dikenal atau di luar wilayah Anda.")
    return people


def _scored(conn: sa.Connection, a: str, b: str) -> dict:
    """The stored score of the pair, or (a pair below the threshold, a merged person) the
    comparison made now."""
    first, second = sorted((a, b))
    d = duplicate_pairs.c
    row = conn.execute(sa.select(d.score, d.reasons).where(
        d.person_a == first, d.person_b == second)).first()
    if row:
        return {"score": row.score, "reasons": row.reasons.split(",")}
    people = {row["id"]: row for row in summaries(conn, persons.c.id.in_([a, b]), merged=True)}
    return compare(config(), people[first], people[second])


def _registered(conn: sa.Connection, ids: Sequence[str]) -> dict[str, str]:
    rows = conn.execute(sa.select(documents.c.id, documents.c.body)
                        .where(documents.c.id.in_(sorted(set(ids)))))
    return {row.id: json.loads(row.body).get("created_at") for row in rows}


def _shown(card: dict, name: str) -> object:
    value = card[name]
    return WORDS[name].get(value, value) if name in WORDS else value
