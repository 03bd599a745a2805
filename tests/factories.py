"""Documents and a small world for tests: two desa, their places, and a user per role."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from backend import projections
from backend.auth.users import create_user
from backend.sync.store import bulk_write
from backend.writes import options, write_docs

PASSWORD = "rahasia-123"
DESA_A = "3204190001"   # two real-looking Kemendagri codes of one kecamatan
DESA_B = "3204190002"
TS = "2026-01-05T08:00:00+07:00"


def _base(doc_type: str, desa: str | None, **fields) -> dict:
    return {"_id": f"{doc_type}:{uuid.uuid4()}", "type": doc_type, "schema": 1, "desa": desa,
            "created_at": TS, "created_by": "test", **fields}


def place(kind: str, name: str, desa: str | None, **fields) -> dict:
    return _base("place", desa, kind=kind, name=name, **fields)


def household(desa: str = DESA_A, **fields) -> dict:
    return _base("household", desa, **{"head_name": "Budi Santoso", "rt": "001", "rw": "002",
                                       **fields})


def person(desa: str = DESA_A, **fields) -> dict:
    return _base("person", desa, **{"name": "Siti Aminah", "sex": "P",
                                    "birth_date": "1994-05-17", **fields})


def encounter(person_doc: dict, **fields) -> dict:
    return _base("encounter", person_doc["desa"], **{
        "person": person_doc["_id"], "date": dt.date.today().isoformat(),
        "setting": "posyandu", **fields})


def task(person_doc: dict, **fields) -> dict:
    return _base("task", person_doc["desa"], **{
        "person": person_doc["_id"], "reason": "Kunjungan rumah: imunisasi terlambat",
        "due_date": dt.date.today().isoformat(), "status": "open", **fields})


def pregnancy(person_doc: dict, **fields) -> dict:
    return _base("pregnancy", person_doc["desa"], **{
        "person": person_doc["_id"], "hpht": "2025-06-01", "status": "ongoing", **fields})


def posyandu_session(posyandu: dict, **fields) -> dict:
    return _base("posyandu_session", posyandu["desa"], **{
        "posyandu": posyandu["_id"], "date": dt.date.today().isoformat(), **fields})


def write_unchecked(conn: sa.Connection, docs: list[dict]) -> list[dict]:
    """Write as data from before the reference checks would lie in the store: no role, area or
    reference rules (backend/sync/references.py), so reads can be tested against links the
    write path refuses today (a person in desa A naming a desa-B household)."""
    return bulk_write(conn, docs, new_edits=True, options=options(),
                      projector=projections.project)


@dataclass
class World:
    puskesmas: dict
    desa: dict[str, dict]
    users: dict[str, int]


ROLE_USERS = {
    # username: (role, cluster, scopes)
    "kader_a": ("kader", None, [DESA_A]),
    "pustu_a": ("pustu", None, [DESA_A]),
    "pustu_b": ("pustu", None, [DESA_B]),
    "klaster2": ("klaster", "2", [DESA_A, DESA_B]),
    "kapus": ("kapus", None, [DESA_A, DESA_B]),
    "admin": ("admin", None, [DESA_A, DESA_B]),
    "dinkes": ("dinkes", None, [DESA_A, DESA_B]),
    "fktp_a": ("fktp", None, [DESA_A]),
}


def build_world(conn: sa.Connection) -> World:
    pkm = place("puskesmas", "Puskesmas Cikalong", None, code="320419")
    desa = {code: place("desa", name, code, code=code, parent=pkm["_id"])
            for code, name in ((DESA_A, "Cikalong"), (DESA_B, "Mekarjaya"))}
    results = write_docs(conn, [pkm, *desa.values()], None)
    assert all(r.get("ok") for r in results), results
    users = {}
    for username, (role, cluster, scopes) in ROLE_USERS.items():
        user = create_user(conn, username=username, password=PASSWORD, role=role,
                           display_name=username.replace("_", " ").title(), cluster=cluster,
                           scopes=scopes)
        users[username] = user.id
    return World(pkm, desa, users)
