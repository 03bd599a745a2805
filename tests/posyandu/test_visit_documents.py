"""Posyandu visits as documents: one per session and person (derived id, in Python and the
PWA alike), checked references, tablets' edits merged field by field, and one encounter per
finished visit even when two tablets finish it at once."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from backend.db import read_transaction
from backend.documents.derived_ids import posyandu_encounter_id, posyandu_visit_id
from backend.documents.schemas import validate_document
from backend.projections.tables import encounters
from backend.writes import save_docs
from tests import factories as f

VECTORS = json.loads((Path(__file__).parent / "derived_ids.json").read_text(encoding="utf-8"))
T1, T2 = "2026-03-10T09:00:00+07:00", "2026-03-10T09:05:00+07:00"


def test_derived_ids_match_the_vectors_the_pwa_runs_too():
    # The vectors pin the derivation: a change would split the visits tablets already hold.
    for case in VECTORS["cases"]:
        assert posyandu_visit_id(case["session"], case["person"]) == case["visit"]
        assert posyandu_encounter_id(case["visit"]) == case["encounter"]


def test_derived_ids_are_name_based_uuids_of_their_own_kind():
    [case, other, *_] = VECTORS["cases"]
    visit = uuid.UUID(case["visit"].split(":", 1)[1])
    assert visit.version == 5 and visit.variant == uuid.RFC_4122
    assert case["visit"] != other["visit"]  # another person, another visit
    assert case["encounter"].split(":", 1)[1] != case["visit"].split(":", 1)[1]


@pytest.fixture
def session(world):
    desa = world.desa[f.DESA_A]["_id"]
    posyandu = f.place("posyandu", "Posyandu Melati", f.DESA_A, parent=desa)
    doc = f.posyandu_session(posyandu, date="2026-03-10", status="open")
    person = f.person(birth_date="2024-05-01")
    assert all(r.get("ok") for r in save_docs([posyandu, doc, person], None))
    return doc, person


def visit(session: dict, person: dict, **fields) -> dict:
    return {"_id": posyandu_visit_id(session["_id"], person["_id"]), "type": "posyandu_visit",
            "schema": 1, "desa": session["desa"], "created_at": T1, "created_by": "kader_a",
            "posyandu_session": session["_id"], "person": person["_id"],
            "date": session["date"], **fields}


def test_a_visit_must_carry_the_id_of_its_session_and_person(session):
    doc, person = session
    assert validate_document(visit(doc, person)) == {}
    made_up = {**visit(doc, person), "_id": f"posyandu_visit:{uuid.uuid4()}"}
    assert "_id" in validate_document(made_up)
    [result] = save_docs([made_up], None)
    assert result["error"] == "forbidden"


def test_a_visit_of_a_person_of_another_desa_is_refused(session):
    doc, _ = session
    stranger = f.person(desa=f.DESA_B)
    assert save_docs([stranger], None)[0].get("ok")
    [result] = save_docs([visit(doc, stranger)], None)
    assert result["code"] == "reference_scope"


def _branch(body: dict, rev: str, parent: str) -> dict:
    return {**body, "_rev": f"2-{rev}", "_revisions": {"start": 2, "ids": [rev, parent]}}


def test_two_tablets_edits_of_one_visit_merge_field_by_field(couch, session):
    doc, person = session
    base = visit(doc, person)
    weighed = {**base, "measurements": {"weight_kg": 10.4}, "done_ukur": T1,
               "field_ts": {"measurements": T1, "done_ukur": T1}, "updated_at": T1}
    served = {**base, "services": ["vitamin_a"], "done_layanan": T2,
              "field_ts": {"services": T2, "done_layanan": T2}, "updated_at": T2}
    client = couch("kader_a")
    batch = [{**base, "_rev": "1-aaa"}, _branch(weighed, "bbb", "aaa"),
             _branch(served, "ccc", "aaa")]
    assert client.bulk(batch, new_edits=False).json == []
    merged = client.get(f"/{base['_id']}?conflicts=true").json
    assert "_conflicts" not in merged
    assert merged["measurements"] == {"weight_kg": 10.4} and merged["services"] == ["vitamin_a"]
    assert merged["done_ukur"] == T1 and merged["done_layanan"] == T2


def test_two_tablets_registering_one_person_make_one_visit(couch, session):
    doc, person = session
    # Each tablet creates the visit offline: the same id, two first revisions.
    first = {**visit(doc, person), "_rev": "1-aaa"}
    second = {**visit(doc, person, created_by="kader_b", created_at=T2), "_rev": "1-bbb",
              "done_ukur": T2}
    assert couch("kader_a").bulk([first, second], new_edits=False).json == []
    merged = couch("kader_a").get(f"/{first['_id']}?conflicts=true").json
    assert "_conflicts" not in merged and merged["done_ukur"] == T2


def test_a_visit_finished_on_two_tablets_is_one_encounter(couch, session):
    doc, person = session
    enc_id = posyandu_encounter_id(posyandu_visit_id(doc["_id"], person["_id"]))
    finished = [{**f.encounter(person, date=doc["date"], posyandu_session=doc["_id"],
                               provider=name, created_by=user),
                 "_id": enc_id, "_rev": f"1-{rev}"}
                for name, user, rev in (("Kader A", "kader_a", "aaa"),
                                        ("Kader B", "kader_b", "bbb"))]
    assert couch("kader_a").bulk(finished, new_edits=False).json == []
    with read_transaction() as conn:
        rows = conn.execute(encounters.select().where(
            encounters.c.posyandu_session_id == doc["_id"])).all()
    assert [row.id for row in rows] == [enc_id]
    # Written once: the second finish stays as a listed conflict, nothing of it is lost.
    listing = couch("kapus").get("/_conflicts").json
    assert [c["id"] for c in listing["open"]] == [enc_id]


def test_a_kader_writes_visits_of_her_own_desa_only(couch, world):
    sessions = {}
    for desa in (f.DESA_A, f.DESA_B):
        posyandu = f.place("posyandu", f"Posyandu {desa}", desa, parent=world.desa[desa]["_id"])
        doc, person = f.posyandu_session(posyandu, date="2026-03-10"), f.person(desa=desa)
        assert all(r.get("ok") for r in save_docs([posyandu, doc, person], None))
        sessions[desa] = visit(doc, person)
    results = couch("kader_a").bulk([sessions[f.DESA_A], sessions[f.DESA_B]]).json
    assert "ok" in results[0]
    assert results[1]["error"] == "forbidden"
