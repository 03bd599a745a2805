"""References checked on every write: /sync, /api and system writes alike (docs/documents.md)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.db import engine, read_transaction
from backend.sync import reads
from backend.sync.batch_order import dependency_order
from backend.sync.prepare import Incoming
from backend.writes import save_docs
from tests import factories as f


def stored(doc_id: str) -> bool:
    with read_transaction() as conn:
        row = reads.load_rows(conn, [doc_id]).get(doc_id)
    return row is not None and not row.deleted


def codes(results: list[dict]) -> list[str | None]:
    return [r.get("code") if "error" in r else None for r in results]


@pytest.fixture
def places(world):
    """A Pustu and a Posyandu in each desa."""
    made = {}
    for desa in (f.DESA_A, f.DESA_B):
        parent = world.desa[desa]["_id"]
        made[desa] = {kind: f.place(kind, f"{kind} {desa}", desa, parent=parent)
                      for kind in ("pustu", "posyandu")}
    assert all(r["ok"] for r in save_docs([p for d in made.values() for p in d.values()], None))
    return made


def test_a_made_up_reference_is_refused_and_nothing_is_stored(world):
    visit = f.encounter(f.person())   # the person was never written
    [result] = save_docs([visit], None)
    assert result["error"] == "forbidden" and result["code"] == "reference_missing"
    assert "person" in result["reason"]
    assert not stored(visit["_id"])


def test_references_within_one_batch_hold_in_any_order(world):
    household = f.household()
    person = f.person(household=household["_id"])
    mother = f.person(name="Ibu")
    baby = f.person(name="Bayi", mother=mother["_id"], household=household["_id"])
    visit = f.encounter(person)
    correction = f.encounter(person, corrects=visit["_id"])
    batch = [correction, visit, baby, person, mother, household]   # every reference forward
    assert codes(save_docs(batch, None)) == [None] * len(batch)
    assert all(stored(doc["_id"]) for doc in batch)


def test_a_reference_to_a_document_refused_in_the_same_batch_is_refused(world):
    person = f.person(nik="12")   # invalid: refused
    visit = f.encounter(person)
    assert codes(save_docs([visit, person], None)) == ["reference_missing", "invalid"]


def test_a_deleted_target_counts_as_missing(world):
    person = f.person()
    rev = save_docs([person], None)[0]["rev"]
    save_docs([{"_id": person["_id"], "_rev": rev, "_deleted": True}], None)
    assert codes(save_docs([f.encounter(person)], None)) == ["reference_missing"]


def test_deleting_a_target_in_the_same_batch_refuses_a_new_reference_to_it(world):
    person = f.person()
    rev = save_docs([person], None)[0]["rev"]
    tombstone = {"_id": person["_id"], "_rev": rev, "_deleted": True}
    assert codes(save_docs([f.encounter(person), tombstone], None)) == [
        "reference_missing", None]


def test_an_unchanged_old_reference_does_not_block_an_edit(world):
    household = f.household()
    person = f.person(household=household["_id"])
    revs = [r["rev"] for r in save_docs([household, person], None)]
    save_docs([{"_id": household["_id"], "_rev": revs[0], "_deleted": True}], None)
    [edit] = save_docs([{**person, "_rev": revs[1], "name": "Siti A."}], None)
    assert edit["ok"]
    other = f.household()
    save_docs([other], None)
    # Pointing at a live household again is fine; back at the deleted one is not.
    [moved] = save_docs([{**person, "_rev": edit["rev"], "household": other["_id"]}], None)
    [back] = save_docs([{**person, "_rev": moved["rev"], "household": household["_id"]}], None)
    assert moved["ok"] and back["code"] == "reference_missing"


def test_moving_a_document_to_another_desa_checks_its_references_again(world):
    household = f.household()
    person = f.person(household=household["_id"])
    rev = save_docs([household, person], None)[1]["rev"]
    [result] = save_docs([{**person, "_rev": rev, "desa": f.DESA_B}], None)
    assert result["code"] == "reference_scope"
    assert f.DESA_A not in result["reason"] and f.DESA_B not in result["reason"]


def test_only_the_new_items_of_a_list_are_checked(world, places):
    ours, theirs = f.person(), f.person(desa=f.DESA_B)
    session = f.posyandu_session(places[f.DESA_A]["posyandu"], attendance=[ours["_id"]])
    rev = save_docs([ours, theirs, session], None)[2]["rev"]
    [result] = save_docs([{**session, "_rev": rev,
                           "attendance": [ours["_id"], theirs["_id"]]}], None)
    assert result["code"] == "reference_scope" and "attendance[]" in result["reason"]


def test_pregnancy_babies_inside_the_delivery_are_checked(world):
    mother = f.person()
    unknown_baby = "person:00000000-0000-4000-8000-000000000000"
    pregnancy = f.pregnancy(mother, delivery={"date": "2026-01-02", "babies": [unknown_baby]})
    assert codes(save_docs([mother, pregnancy], None)) == [None, "reference_missing"]


def test_place_references_obey_kind_and_desa(world, places):
    a, b = places[f.DESA_A], places[f.DESA_B]
    at_pustu = f.person(posyandu=a["pustu"]["_id"])
    at_their_posyandu = f.person(posyandu=b["posyandu"]["_id"])
    at_our_posyandu = f.person(posyandu=a["posyandu"]["_id"])
    assert codes(save_docs([at_pustu, at_their_posyandu, at_our_posyandu], None)) == [
        "reference_kind", "reference_scope", None]


def test_an_encounter_may_happen_at_any_place_of_the_puskesmas(world, places):
    person = f.person()
    at_puskesmas = f.encounter(person, setting="puskesmas", place=world.puskesmas["_id"])
    at_their_posyandu = f.encounter(person, place=places[f.DESA_B]["posyandu"]["_id"])
    at_a_desa = f.encounter(person, place=world.desa[f.DESA_A]["_id"])
    assert codes(save_docs([person, at_puskesmas, at_their_posyandu, at_a_desa], None)) == [
        None, None, None, "reference_kind"]


def test_a_task_goes_to_its_own_desas_pustu_or_the_puskesmas(world, places):
    person = f.person()
    tasks = [f.task(person, assigned_place=place) for place in (
        places[f.DESA_A]["pustu"]["_id"], world.puskesmas["_id"], places[f.DESA_B]["pustu"]["_id"])]
    assert codes(save_docs([person, *tasks], None)) == [None, None, None, "reference_scope"]


def test_a_posyandu_hangs_under_its_own_desa(world):
    wrong = f.place("posyandu", "Posyandu Salah", f.DESA_A, parent=world.desa[f.DESA_B]["_id"])
    assert codes(save_docs([wrong], None)) == ["reference_scope"]


def test_sync_refuses_a_reference_into_another_desa(couch):
    theirs = f.person(desa=f.DESA_B)
    save_docs([theirs], None)
    visit = {**f.encounter(theirs), "desa": f.DESA_A}
    for user in ("pustu_a", "klaster2"):   # the rule is the desa, whatever the writer sees
        [result] = couch(user).bulk([visit]).json
        assert (result["error"], result["code"]) == ("forbidden", "reference_scope")
    assert not stored(visit["_id"])


def test_sync_accepts_a_replicated_batch_with_forward_references(couch):
    person = f.person()
    visit = f.encounter(person)
    docs = [{**doc, "_rev": "1-abc", "_revisions": {"start": 1, "ids": ["abc"]}}
            for doc in (visit, person)]
    assert [r for r in couch("kader_a").bulk(docs, new_edits=False).json] == []
    assert stored(visit["_id"]) and stored(person["_id"])


def test_sync_refuses_a_visit_pushed_before_its_person_and_accepts_it_after(couch):
    """Offline order: the person's later local edit sends it in the next batch; the PWA
    pushes a `reference_missing` document again once that batch is in."""
    person = f.person()
    visit = {**f.encounter(person), "_rev": "1-abc"}
    client = couch("kader_a")
    [first] = client.bulk([visit], new_edits=False).json
    assert first["code"] == "reference_missing"
    assert client.bulk([{**person, "_rev": "1-def"}], new_edits=False).json == []
    assert client.bulk([visit], new_edits=False).json == []


def test_api_refuses_an_encounter_for_another_desas_person(login, world):
    theirs = f.person(desa=f.DESA_B)
    save_docs([theirs], None)
    body = {"desa": f.DESA_A, "person": theirs["_id"], "date": "2026-01-05",
            "setting": "pustu"}
    response = login("pustu_a").post("/api/v1/encounters", json=body)
    assert response.status_code == 403
    assert "another desa" in response.json["detail"] or "another desa" in str(response.json)
    made_up = login("pustu_a").post("/api/v1/encounters", json={
        **body, "person": "person:00000000-0000-4000-8000-000000000000"})
    assert made_up.status_code == 403
    with read_transaction() as conn:
        assert reads.info(conn, "siklus")["doc_count"] == 4   # the world's places and theirs


def test_api_refuses_an_edit_that_points_a_person_at_another_desas_household(login, world):
    ours, theirs = f.person(), f.household(desa=f.DESA_B)
    rev = save_docs([ours, theirs], None)[0]["rev"]
    response = login("pustu_a").patch(f"/api/v1/persons/{ours['_id']}",
                                      json={"_rev": rev, "household": theirs["_id"]})
    assert response.status_code == 403


def test_a_visit_or_dose_dated_before_birth_is_refused_and_nothing_is_stored(world, login):
    baby = f.person(name="Bayi", birth_date="2025-03-10")
    assert save_docs([baby], None)[0]["ok"]
    before = f.encounter(baby, date="2025-03-01")
    dose = f.encounter(baby, date="2025-06-01", immunizations=[
        {"vaccine": "BCG", "dose": 1, "date": "2024-03-10"}])   # Buku KIA year typed wrong
    fine = f.encounter(baby, date="2025-06-01", immunizations=[
        {"vaccine": "HB0", "dose": 1, "date": "2025-03-10"}])    # the day of birth counts
    assert codes(save_docs([before, dose, fine], None)) == ["before_birth", "before_birth", None]
    assert not stored(before["_id"]) and not stored(dose["_id"]) and stored(fine["_id"])
    # A newborn and their first visit in one batch: the person's body is the target.
    newborn = f.person(name="Bayi 2", birth_date="2026-01-02")
    assert codes(save_docs([f.encounter(newborn, date="2026-01-01"), newborn], None)) == [
        "before_birth", None]
    response = login("pustu_a").post("/api/v1/encounters", json={
        "desa": f.DESA_A, "person": baby["_id"], "date": "2025-02-01", "setting": "pustu"})
    assert response.status_code == 403 and "birth" in str(response.json)


def test_the_targets_of_a_batch_are_read_in_one_query(world):
    persons = [f.person() for _ in range(100)]
    save_docs(persons, None)
    visits = [f.encounter(p) for p in persons] + [f.encounter(p) for p in persons]
    statements = []

    def count(conn, cursor, statement, *args):
        if "place_body" in statement:
            statements.append(statement)

    sa.event.listen(engine(), "before_cursor_execute", count)
    try:
        assert all(r["ok"] for r in save_docs(visits, None))
    finally:
        sa.event.remove(engine(), "before_cursor_execute", count)
    assert len(statements) == 1


def _incoming(doc: dict) -> Incoming:
    return Incoming(id=doc["_id"], type=doc["type"], deleted=False, body=doc)


def test_dependency_order_puts_targets_first_and_keeps_the_rest_as_sent():
    a, b, c, d = ({"_id": f"person:{n}", "type": "person"} for n in "abcd")
    needs = {"person:a": ["person:c"], "person:c": ["person:d"]}
    batch = [_incoming(x) for x in (a, b, c, d)]
    order = dependency_order(batch, lambda incoming: needs.get(incoming.id, ()))
    assert order == [3, 2, 0, 1]


def test_dependency_order_survives_a_cycle_and_keeps_revisions_of_one_document_in_order():
    a, b = {"_id": "person:a", "type": "person"}, {"_id": "person:b", "type": "person"}
    needs = {"person:a": ["person:b"], "person:b": ["person:a"]}
    batch = [_incoming(a), _incoming(b), _incoming(a)]
    order = dependency_order(batch, lambda incoming: needs.get(incoming.id, ()))
    assert sorted(order) == [0, 1, 2] and order.index(0) < order.index(2)
