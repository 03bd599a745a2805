"""The demo generator's contract: deterministic, schema-valid, self-consistent documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from backend.demo import demo_users, generate_documents
from backend.demo.places import desa_count, desa_name
from backend.documents.schemas import describe_errors, validate_document
from tests.demo.conftest import SEED, TODAY

ROOT = Path(__file__).resolve().parents[2]
_DIGEST = ("import datetime, hashlib, json; from backend.demo import generate_documents; "
           "docs = generate_documents(0.125, 3, datetime.date(2026, 8, 20)); "
           "print(hashlib.sha256(json.dumps(docs, sort_keys=True).encode()).hexdigest())")


def _digest(docs: list[dict]) -> str:
    return hashlib.sha256(json.dumps(docs, sort_keys=True).encode()).hexdigest()


def test_same_seed_gives_identical_documents(demo):
    assert generate_documents(scale=0.25, seed=SEED, today=TODAY) == demo.docs


def test_different_seed_gives_different_documents(demo):
    other = generate_documents(scale=0.25, seed=SEED + 1, today=TODAY)
    assert {d["_id"] for d in other}.isdisjoint(d["_id"] for d in demo.docs)
    assert [p["name"] for p in other if p["type"] == "person"][:50] != [
        p["name"] for p in demo.by_type["person"]][:50]


def test_generation_does_not_depend_on_string_hashing():
    """Set iteration order changes with PYTHONHASHSEED; the demo must not."""
    expected = _digest(generate_documents(0.125, 3, dt.date(2026, 8, 20)))
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _DIGEST], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == expected


def test_a_desa_is_the_same_at_every_scale(demo):
    small = generate_documents(scale=0.125, seed=SEED, today=TODAY)
    first_desa = small[1]["desa"] if small[1]["type"] == "place" else None
    assert first_desa
    assert [d for d in small if d.get("desa") == first_desa] == [
        d for d in demo.docs if d.get("desa") == first_desa]


def test_every_document_validates(demo):
    failures = [(d["_id"], describe_errors(validate_document(d))) for d in demo.docs
                if validate_document(d)]
    assert failures == []


def test_ids_are_unique_and_typed(demo):
    ids = [d["_id"] for d in demo.docs]
    assert len(ids) == len(set(ids))
    assert all(d["_id"].startswith(d["type"] + ":") for d in demo.docs)


def test_references_point_at_generated_documents(demo):
    refs = {"person": "person", "household": "household", "mother": "person",
            "posyandu": "place", "place": "place", "parent": "place", "pregnancy": "pregnancy",
            "posyandu_session": "posyandu_session", "assigned_place": "place"}
    for doc in demo.docs:
        for field, doc_type in refs.items():
            if field in doc:
                assert demo.by_id[doc[field]]["type"] == doc_type, (doc["_id"], field)
    for session in demo.by_type["posyandu_session"]:
        assert all(demo.by_id[p]["type"] == "person" for p in session["attendance"])


def test_records_belong_to_the_desa_of_their_person(demo):
    for doc in demo.docs:
        if doc["type"] in {"encounter", "pregnancy", "task"}:
            assert doc["desa"] == demo.by_id[doc["person"]]["desa"]


def test_no_event_lies_after_today(demo):
    """Births, visits, deliveries and edits are past; HPL and task due dates may be ahead."""
    def days(doc):
        yield doc["created_at"][:10]
        for key in ("birth_date", "date", "hpht", "updated_at", "done_at"):
            if key in doc:
                yield doc[key][:10]
        if "delivery" in doc:
            yield doc["delivery"]["date"]
        for immunization in doc.get("immunizations", []):
            yield immunization["date"]
    assert max(day for doc in demo.docs for day in days(doc)) <= TODAY.isoformat()


def test_encounters_span_two_years_ending_today(demo):
    days = sorted(e["date"] for e in demo.by_type["encounter"]
                  if "Riwayat" not in e.get("notes", ""))
    assert days[0] >= "2024-08-20" and days[-1] >= "2026-08-01"
    assert all(e["created_at"].endswith("+07:00") for e in demo.by_type["encounter"])
    assert all(e["created_at"][:10] >= e["date"] for e in demo.by_type["encounter"])


def test_places_have_kemendagri_codes():
    docs = generate_documents(scale=0.125, seed=1, today=TODAY)
    places = [d for d in docs if d["type"] == "place"]
    (puskesmas,) = (p for p in places if p["kind"] == "puskesmas")
    (desa,) = (p for p in places if p["kind"] == "desa")
    assert len(puskesmas["code"]) == 6 and puskesmas["desa"] is None
    assert desa["code"] == f"{puskesmas['code']}1001" == desa["desa"]
    posyandu = [p for p in places if p["kind"] == "posyandu"]
    assert len(posyandu) >= 2 and all(1 <= p["schedule_day"] <= 28 for p in posyandu)
    assert sum(p["kind"] == "pustu" for p in places) == 1


def test_scale_multiplies_desa():
    assert [desa_count(s) for s in (0.1, 0.25, 1, 8)] == [1, 2, 8, 64]


def test_logins_cover_every_role_and_stay_stable():
    codes = ["3217171001", "3217172001"]
    users = {u["username"]: u for u in demo_users(codes)}
    assert {u["role"] for u in users.values()} == {"kader", "pustu", "klaster", "kapus",
                                                    "admin", "dinkes", "fktp"}
    assert {u["cluster"] for u in users.values() if u["role"] == "klaster"} == {
        "1", "2", "3", "4", "lintas"}
    assert users["kader.sukamanah"]["scopes"] == ["3217171001"]
    assert users["bidan.cibodas"]["scopes"] == ["3217172001"]
    assert users["kapus"]["scopes"] == codes and users["dinkes"]["scopes"] == codes
    assert desa_name("3217172001") == "Cibodas"


def test_recorded_by_demo_logins(demo):
    codes = sorted({d["desa"] for d in demo.docs if d["desa"]})
    usernames = {u["username"] for u in demo_users(codes)}
    assert {d["created_by"] for d in demo.docs} <= usernames
