"""Pure functions turning one winning document body into read-model rows, per document type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from backend.projections import tables as t
from backend.search import name_key

Rows = dict[sa.Table, list[dict]]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _day(timestamp: str | None) -> dt.date | None:
    """The day of a timestamp as written: a registration's record date, as the data-quality
    flags date it (backend/clinical/quality.py `record_date`)."""
    return dt.date.fromisoformat(timestamp[:10]) if timestamp else None


def place(doc_id: str, d: dict) -> Rows:
    return {t.places: [{
        "id": doc_id, "kind": d["kind"], "code": d.get("code"), "name": d["name"],
        "parent_id": d.get("parent"), "desa": d.get("desa"),
        "schedule_day": d.get("schedule_day"), "dusun": d.get("dusun")}]}


def household(doc_id: str, d: dict) -> Rows:
    return {t.households: [{
        "id": doc_id, "desa": d["desa"], "no_kk": d.get("no_kk"), "head_name": d["head_name"],
        "name_key": name_key(d["head_name"]), "address": d.get("address"), "rt": d.get("rt"),
        "rw": d.get("rw"), "dusun": d.get("dusun"), "posyandu_id": d.get("posyandu"),
        "phone": d.get("phone")}]}


def person(doc_id: str, d: dict) -> Rows:
    return {t.persons: [{
        "id": doc_id, "desa": d["desa"], "household_id": d.get("household"), "name": d["name"],
        "name_key": name_key(d["name"]), "nik": d.get("nik"), "sex": d["sex"],
        "birth_date": _date(d["birth_date"]),
        "birth_date_estimated": bool(d.get("birth_date_estimated")),
        "relation": d.get("relation"), "mother_id": d.get("mother"), "phone": d.get("phone"),
        "jkn": d.get("jkn"), "posyandu_id": d.get("posyandu"),
        "deceased_date": _date(d.get("deceased_date")),
        "merged_into_id": d.get("merged_into"), "registered_on": _day(d.get("created_at"))}]}


def pregnancy(doc_id: str, d: dict) -> Rows:
    delivery = d.get("delivery") or {}
    return {t.pregnancies: [{
        "id": doc_id, "desa": d["desa"], "person_id": d["person"], "hpht": _date(d.get("hpht")),
        "hpl": _date(d.get("hpl")), "gravida": d.get("gravida"), "para": d.get("para"),
        "abortus": d.get("abortus"), "status": d["status"],
        "delivery_date": _date(delivery.get("date")),
        "delivery_place_type": delivery.get("place_type"),
        "delivery_attendant": delivery.get("attendant"),
        "live_births": delivery.get("live_births"), "registered_on": _day(d.get("created_at"))}]}


def encounter(doc_id: str, d: dict) -> Rows:
    day = _date(d["date"])
    base = {"encounter_id": doc_id, "person_id": d["person"], "desa": d["desa"], "date": day}
    measured = d.get("measurements") or {}
    return {
        t.encounters: [{
            "id": doc_id, "desa": d["desa"], "person_id": d["person"], "date": day,
            "setting": d["setting"], "place_id": d.get("place"), "provider": d.get("provider"),
            "cluster": d.get("cluster"), "posyandu_session_id": d.get("posyandu_session"),
            "pregnancy_id": d.get("pregnancy"), "corrects_id": d.get("corrects"),
            "referral_to": (d.get("referral") or {}).get("to"),
            "created_at": d["created_at"],
            **{name: measured.get(name) for name in t.MEASUREMENTS}}],
        t.screenings: [{**base, "instrument": s["instrument"], "score": s.get("score"),
                        "result": s.get("result")} for s in d.get("screenings") or []],
        # A dose copied from the Buku KIA at a later visit counts on the day it was given.
        t.immunizations: [{**base, "date": _date(i.get("date")) or day, "vaccine": i["vaccine"],
                           "dose": i.get("dose"), "timing": i.get("timing")}
                          for i in d.get("immunizations") or []],
        t.services: [{**base, "code": s["code"], "detail": s.get("detail")}
                     for s in d.get("services") or []],
        t.diagnoses: [{**base, "icd10": x["icd10"], "case_type": x.get("case")}
                      for x in d.get("diagnoses") or []],
    }


def task(doc_id: str, d: dict) -> Rows:
    return {t.tasks: [{
        "id": doc_id, "desa": d["desa"], "person_id": d.get("person"), "reason": d["reason"],
        "due_date": _date(d["due_date"]), "status": d["status"],
        "assigned_place_id": d.get("assigned_place"), "source": d.get("source"),
        "outcome": d.get("outcome"), "created_at": d["created_at"], "done_at": d.get("done_at"),
        "origin_id": d.get("origin"), "rule": d.get("rule"), "cluster": d.get("cluster"),
        "urgent": d.get("urgent"), "outcome_code": d.get("outcome_code"),
        "pregnancy_id": d.get("pregnancy")}]}


def posyandu_session(doc_id: str, d: dict) -> Rows:
    return {t.posyandu_sessions: [{
        "id": doc_id, "desa": d["desa"], "posyandu_id": d["posyandu"], "date": _date(d["date"]),
        "status": d.get("status"), "attendance_count": len(d.get("attendance") or [])}]}


def subscription_invite(doc_id: str, d: dict) -> Rows:
    return {t.subscription_invites: [{
        "id": doc_id, "desa": d["desa"], "household_id": d["household"],
        "token_hash": d["token_hash"], "expires_at": d["expires_at"], "used_at": d.get("used_at"),
        "revoked_at": d.get("revoked_at"), "created_at": d["created_at"],
        "created_by": d["created_by"]}]}


def subscription_consent(doc_id: str, d: dict) -> Rows:
    return {t.subscription_consents: [{
        "id": doc_id, "desa": d["desa"], "household_id": d["household"],
        "person_id": d.get("person"), "invite_id": d.get("invite"), "given_at": d["given_at"],
        "given_by": d["given_by"], "revoked_at": d.get("revoked_at")}]}


Projector = Callable[[str, dict], Rows]
PROJECTORS: dict[str, Projector] = {
    "place": place, "household": household, "person": person, "pregnancy": pregnancy,
    "encounter": encounter, "task": task, "posyandu_session": posyandu_session,
    "subscription_invite": subscription_invite, "subscription_consent": subscription_consent,
}

# The tables a document type owns and the column holding the document id in each.
OWNED: dict[str, list[tuple[sa.Table, sa.Column]]] = {
    "place": [(t.places, t.places.c.id)],
    "household": [(t.households, t.households.c.id)],
    "person": [(t.persons, t.persons.c.id)],
    "pregnancy": [(t.pregnancies, t.pregnancies.c.id)],
    "encounter": [(t.encounters, t.encounters.c.id)] + [
        (tbl, tbl.c.encounter_id)
        for tbl in (t.screenings, t.immunizations, t.services, t.diagnoses)],
    "task": [(t.tasks, t.tasks.c.id)],
    "posyandu_session": [(t.posyandu_sessions, t.posyandu_sessions.c.id)],
    "subscription_invite": [(t.subscription_invites, t.subscription_invites.c.id)],
    "subscription_consent": [(t.subscription_consents, t.subscription_consents.c.id)],
}
