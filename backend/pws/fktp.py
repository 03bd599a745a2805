"""Jejaring FKTP: a network clinic or private midwife reports the cases it handled, and sees
the follow-up of those cases — nothing else of the record (docs/pws.md "Jejaring FKTP").

Under ILP the Puskesmas "lets jejaring FKTP put the cases they handled into the same
dashboard and receive follow-up for their area" (issue 12; Juknis ILP, KMK
HK.01.07/MENKES/2015/2023, "Alur Pelayanan"). The `fktp` role therefore reads no records
(backend/auth/roles.py): it neither replicates the kecamatan nor opens a record. What it gets:

* a finder: a person of its area by exact NIK, or by name (narrowed by birth year or desa),
  answered with what identifies them only — name, sex, birth date, desa, RT/RW and the NIK
  masked except its last 4 digits (UU 27/2022 Pelindungan Data Pribadi: no more than needed);
* registration of a person not found (a person and a new household, as the PWA registers);
* a case report: an `encounter` with setting `fktp`, written through the one write path
  (backend/writes.py), so the server derives follow-up tasks (backend/followup) and the PWS
  facts count it with its source (`pws_events.setting`, morbidity `cases_fktp`);
* "my cases": the encounters this account created, with the tasks derived from them (status,
  outcome code, due date), never a task's free-text outcome nor anyone else's visits.

Functions here are pure or take a connection; the views in backend/api/pws/fktp.py stay thin.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from backend import audit
from backend.auth.users import User
from backend.clinical.icd10 import icd10_names
from backend.projections.tables import diagnoses, encounters, households, persons, places, tasks
from backend.search import name_key
from backend.sync.tables import documents

FINDER_LIMIT = 20          # enough to pick from; a longer list means: narrow the search
NAME_MIN_CHARS = 3         # a name search shorter than this would list the kecamatan
MY_CASES_LIMIT = 100       # newest first
MASK = "*"
PLACE_MAX = 120            # encounter.provider (backend/documents/schemas.py)
# What an FKTP may measure on a case (the encounter's MeasurementsSchema checks the ranges):
# blood pressure and glucose for PTM follow-up, weight.
MEASUREMENTS = ("sbp", "dbp", "glucose_mgdl", "glucose_type", "weight_kg")


def icd10_codes() -> dict[str, str]:
    """Code -> Indonesian name: the ICD-10 list the PWA's picker offers (icd10-list.js, read
    by backend/pws/morbidity.py), so a code the picker does not offer is refused here too and
    there is no second copy of the list to drift."""
    return icd10_names()


def mask_nik(nik: str | None) -> str | None:
    """All but the last 4 digits hidden: enough to tell two namesakes apart with the person in
    front of you, not enough to copy an identity."""
    if not nik:
        return None
    return MASK * (len(nik) - 4) + nik[-4:]


# --- finder -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Find:
    nik: str | None = None
    name: str | None = None
    birth_year: int | None = None
    desa: str | None = None


def find_statement(scopes: Iterable[str], query: Find) -> sa.Select:
    """Living persons of the caller's desa matching the NIK exactly, or the name (the search
    key folds spelling, backend/search.py), narrowed by birth year and desa."""
    desa_place = places.alias("desa_place")
    stmt = (
        sa.select(persons.c.id, persons.c.name, persons.c.sex, persons.c.birth_date,
                  persons.c.nik, persons.c.desa, desa_place.c.name.label("desa_name"),
                  households.c.rt, households.c.rw)
        .join(households, households.c.id == persons.c.household_id, isouter=True)
        .join(desa_place, sa.and_(desa_place.c.kind == "desa",
                                  desa_place.c.code == persons.c.desa), isouter=True)
        .where(persons.c.desa.in_(sorted(scopes)), persons.c.deceased_date.is_(None),
               persons.c.merged_into_id.is_(None)))   # a merged duplicate: its survivor
    if query.nik:
        stmt = stmt.where(persons.c.nik == query.nik)
    if query.name:
        stmt = stmt.where(persons.c.name_key.contains(name_key(query.name), autoescape=True))
    if query.birth_year:
        stmt = stmt.where(persons.c.birth_date >= dt.date(query.birth_year, 1, 1),
                          persons.c.birth_date < dt.date(query.birth_year + 1, 1, 1))
    if query.desa:
        stmt = stmt.where(persons.c.desa == query.desa)
    return stmt.order_by(persons.c.name_key, persons.c.birth_date, persons.c.id)


def finder_row(row: sa.RowMapping) -> dict:
    """What identifies a person, and nothing clinical."""
    return {"id": row["id"], "name": row["name"], "sex": row["sex"],
            "birth_date": row["birth_date"], "desa": row["desa"],
            "desa_name": row["desa_name"] or row["desa"], "rt": row["rt"], "rw": row["rw"],
            "nik_masked": mask_nik(row["nik"])}


def find(conn: sa.Connection, user: User, query: Find) -> tuple[list[dict], bool]:
    """Up to FINDER_LIMIT persons, and whether there were more (then: narrow the search)."""
    rows = conn.execute(find_statement(user.scopes, query).limit(FINDER_LIMIT + 1)).mappings()
    found = [finder_row(row) for row in rows]
    return found[:FINDER_LIMIT], len(found) > FINDER_LIMIT


def record_shown(conn: sa.Connection, user: User, items: list[dict], by: str) -> None:
    """One audit row per person the finder showed (UU 27/2022: who saw whose identity)."""
    for item in items:
        audit.record(conn, actor=user, action="record.open", target_type="person",
                     target_id=item["id"], desa=item["desa"],
                     detail={"view": "fktp.find", "by": by})


def identify(conn: sa.Connection, user: User, person_id: str) -> dict | None:
    """The finder's row of one person of the caller's area (after registering them)."""
    row = conn.execute(find_statement(user.scopes, Find())
                       .where(persons.c.id == person_id)).mappings().first()
    return None if row is None else finder_row(row)


def nik_taken(conn: sa.Connection, nik: str) -> bool:
    """A NIK is one person's (Permendagri 108/2019): registering it twice would split a
    record. Checked across the whole Puskesmas, answered yes/no only."""
    return conn.execute(sa.select(persons.c.id).where(persons.c.nik == nik).limit(1)).first() \
        is not None


# --- registration -------------------------------------------------------------------------

def registration_fields(body: dict) -> tuple[dict, dict]:
    """(household fields, person fields without its household) for a person the FKTP did not
    find: a new household headed by the person unless another head is named, as the PWA's
    registration makes one (a kepala keluarga with the person as a member)."""
    person = {k: body[k] for k in ("name", "sex", "birth_date", "birth_date_estimated", "nik",
                                   "phone", "desa") if body.get(k) not in (None, "")}
    head = (body.get("head_name") or "").strip() or body["name"]
    household = {"desa": body["desa"], "head_name": head,
                 **{k: body[k] for k in ("rt", "rw", "address") if body.get(k) not in (None, "")}}
    person["relation"] = "kepala" if head == body["name"] else "lainnya"
    return household, person


# --- case report --------------------------------------------------------------------------

def case_errors(body: dict, person: dict | None, today: dt.date) -> dict[str, list[str]]:
    """What is wrong with a case report beyond the encounter schema, by field (empty: none).

    The date is the visit's in the Puskesmas's own zone and may not be after today there (the
    encounter schema allows a day of slack for tablets' clocks; a desk report has none)."""
    errors: dict[str, list[str]] = {}
    if person is None:
        errors["person"] = ["Orang tidak ditemukan di wilayah Anda."]
    if body["date"] > today:
        errors["date"] = ["Tanggal kunjungan tidak boleh di masa depan."]
    known = icd10_codes()
    unknown = [d["icd10"] for d in body.get("diagnoses") or [] if d["icd10"] not in known]
    if unknown:
        errors["diagnoses"] = [f"Kode ICD-10 tidak dikenal: {', '.join(unknown)}."]
    if not body.get("diagnoses") and not body.get("services"):
        errors["diagnoses"] = ["Isi paling sedikit satu diagnosis atau satu layanan."]
    return errors


def provider_text(place_name: str, provider: str | None) -> str:
    """Where and by whom: "PMB Bidan Neneng Rohayati · Bd. Neneng" (the encounter's provider
    field, shown beside the case on the record and in PWS)."""
    text = place_name.strip()
    if provider and provider.strip():
        text = f"{text} · {provider.strip()}"
    return text[:PLACE_MAX]


def case_fields(body: dict, person: dict, place_name: str) -> dict:
    """The encounter's fields (the server stamps id, type, created_*): setting `fktp`, in the
    person's desa, dated as reported."""
    fields = {"person": person["_id"], "desa": person["desa"], "date": body["date"].isoformat(),
              "setting": "fktp", "provider": provider_text(place_name, body.get("provider"))}
    if body.get("diagnoses"):
        names = icd10_codes()
        fields["diagnoses"] = [
            {"icd10": d["icd10"], "case": d.get("case") or "baru",
             **({"text": names[d["icd10"]][:200]} if d["icd10"] in names else {})}
            for d in body["diagnoses"]]
    if body.get("services"):
        fields["services"] = [{"code": code} for code in dict.fromkeys(body["services"])]
    measured = {k: v for k, v in (body.get("measurements") or {}).items()
                if k in MEASUREMENTS and v is not None}
    if measured:
        fields["measurements"] = measured
    return fields


# --- my cases -----------------------------------------------------------------------------

def _created_by(body: str) -> str | None:
    return json.loads(body).get("created_by")


def my_case_ids(conn: sa.Connection, user: User, limit: int = MY_CASES_LIMIT) -> list[str]:
    """The ids of the `fktp` encounters this account created, newest first.

    Candidates are the FKTP-setting encounters of the account's desa whose stored text holds
    the username (a plain LIKE: the same SQL on SQLite and PostgreSQL, no JSON functions);
    the creator is then read from the document itself, the one place it is kept."""
    stmt = (sa.select(encounters.c.id, documents.c.body)
            .join(documents, documents.c.id == encounters.c.id)
            .where(encounters.c.setting == "fktp", encounters.c.desa.in_(sorted(user.scopes)),
                   documents.c.body.contains(user.username, autoescape=True))
            .order_by(encounters.c.date.desc(), encounters.c.created_at.desc(), encounters.c.id))
    found: list[str] = []
    for row in conn.execute(stmt.execution_options(yield_per=500)):
        if _created_by(row.body) == user.username:
            found.append(row.id)
            if len(found) >= limit:
                break
    return found


def my_cases(conn: sa.Connection, user: User, limit: int = MY_CASES_LIMIT) -> list[dict]:
    """Each case with its person (name, sex, birth date, desa), diagnoses, and the follow-up
    tasks derived from it: reason, due date, status, outcome code and when it closed."""
    ids = my_case_ids(conn, user, limit)
    if not ids:
        return []
    desa_place = places.alias("desa_place")
    rows = conn.execute(
        sa.select(encounters.c.id, encounters.c.date, encounters.c.provider,
                  encounters.c.desa, encounters.c.sbp, encounters.c.dbp,
                  encounters.c.glucose_mgdl, encounters.c.weight_kg,
                  persons.c.id.label("person_id"), persons.c.name, persons.c.sex,
                  persons.c.birth_date, desa_place.c.name.label("desa_name"))
        .join(persons, persons.c.id == encounters.c.person_id)
        .join(desa_place, sa.and_(desa_place.c.kind == "desa",
                                  desa_place.c.code == encounters.c.desa), isouter=True)
        .where(encounters.c.id.in_(ids))).mappings().all()
    codes: dict[str, list[dict]] = {}
    for d in conn.execute(sa.select(diagnoses.c.encounter_id, diagnoses.c.icd10,
                                    diagnoses.c.case_type)
                          .where(diagnoses.c.encounter_id.in_(ids))
                          .order_by(diagnoses.c.id)).mappings():
        codes.setdefault(d["encounter_id"], []).append(
            {"icd10": d["icd10"], "case": d["case_type"]})
    derived: dict[str, list[dict]] = {}
    for t in conn.execute(sa.select(tasks.c.id, tasks.c.origin_id, tasks.c.reason,
                                    tasks.c.due_date, tasks.c.status, tasks.c.outcome_code,
                                    tasks.c.done_at, tasks.c.urgent)
                          .where(tasks.c.origin_id.in_(ids))
                          .order_by(tasks.c.due_date, tasks.c.id)).mappings():
        task = dict(t)
        derived.setdefault(task.pop("origin_id"), []).append(task)
    by_id = {row["id"]: row for row in rows}
    return [_case_row(by_id[i], codes.get(i, []), derived.get(i, [])) for i in ids if i in by_id]


def _case_row(row: sa.RowMapping, codes: list[dict], derived: list[dict]) -> dict:
    measured = {k: row[k] for k in ("sbp", "dbp", "glucose_mgdl", "weight_kg")
                if row[k] is not None}
    return {"id": row["id"], "date": row["date"], "provider": row["provider"],
            "person": {"id": row["person_id"], "name": row["name"], "sex": row["sex"],
                       "birth_date": row["birth_date"], "desa": row["desa"],
                       "desa_name": row["desa_name"] or row["desa"]},
            "diagnoses": codes, "measurements": measured, "tasks": derived}
