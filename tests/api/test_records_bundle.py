"""GET /api/v1/records/<id>: a person's or household's page as documents, for desk mode."""

from __future__ import annotations

import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.db import read_transaction, write_transaction
from backend.writes import save_docs
from tests import factories as f


def _family(desa: str = f.DESA_B) -> dict:
    household = f.household(desa=desa, head_name="Asep Permana")
    mother = f.person(desa=desa, name="Euis Permana", household=household["_id"])
    child = f.person(desa=desa, name="Dadang Permana", sex="L", birth_date="2024-03-01",
                     household=household["_id"])
    pregnancy = {**f._base("pregnancy", desa), "person": mother["_id"], "status": "ongoing",
                 "hpht": "2026-01-01"}
    visit = f.encounter(mother)
    todo = f.task(mother)
    docs = [household, mother, child, pregnancy, visit, todo]
    results = save_docs(docs, None)
    assert all(r["ok"] for r in results)
    for doc, result in zip(docs, results, strict=True):
        doc["_rev"] = result["rev"]
    return {"household": household, "mother": mother, "child": child, "pregnancy": pregnancy,
            "encounter": visit, "task": todo}


def test_person_record_holds_household_members_and_history_with_revisions(login, world):
    family = _family()
    record = login("kapus").get(f"/api/v1/records/{family['mother']['_id']}").json
    assert record["person"]["name"] == "Euis Permana"
    assert record["household"]["_id"] == family["household"]["_id"]
    assert {m["_id"] for m in record["members"]} == {family["mother"]["_id"],
                                                      family["child"]["_id"]}
    assert [p["_id"] for p in record["pregnancies"]] == [family["pregnancy"]["_id"]]
    assert [e["_id"] for e in record["encounters"]] == [family["encounter"]["_id"]]
    assert [t["_id"] for t in record["tasks"]] == [family["task"]["_id"]]
    # With its history the device can store a copy (new_edits:false) and edit it locally.
    revisions = record["person"]["_revisions"]
    assert f"{revisions['start']}-{revisions['ids'][0]}" == record["person"]["_rev"]


def test_household_record_holds_its_members(login, world):
    family = _family()
    record = login("klaster2").get(f"/api/v1/records/{family['household']['_id']}").json
    assert record["household"]["head_name"] == "Asep Permana"
    assert len(record["members"]) == 2 and "encounters" not in record


def test_record_outside_the_callers_area_is_not_found_like_a_missing_one(login, world):
    family = _family(f.DESA_B)
    session = login("pustu_a")
    foreign = session.get(f"/api/v1/records/{family['mother']['_id']}")
    missing = session.get("/api/v1/records/person:does-not-exist")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["detail"] == missing.json["detail"]
    assert session.get(f"/api/v1/records/{family['encounter']['_id']}").status_code == 404


def test_children_in_another_desa_are_left_out(login, world):
    """A person who moved keeps old-desa visits: the new desa's midwife must not read them."""
    family = _family(f.DESA_B)
    # She moved to desa A still naming her desa-B household, as data from before the
    # reference checks may (docs/documents.md): the bundle must not follow that link.
    moved = {**family["mother"], "desa": f.DESA_A}
    with write_transaction() as conn:
        [result] = f.write_unchecked(conn, [moved])
    assert result["ok"], result
    record = login("pustu_a").get(f"/api/v1/records/{moved['_id']}").json
    assert record["person"]["desa"] == f.DESA_A
    assert record["encounters"] == [] and record["pregnancies"] == [] and record["tasks"] == []
    assert record["household"] is None  # still in the old desa
    assert [m["_id"] for m in record["members"]] == [moved["_id"]]


def test_aggregate_roles_and_anonymous_callers_get_no_record(app, login, world):
    family = _family()
    assert login("dinkes").get(f"/api/v1/records/{family['mother']['_id']}").status_code == 403
    assert app.test_client().get(f"/api/v1/records/{family['mother']['_id']}").status_code == 401


def test_opening_a_person_record_is_audited(login, world):
    family = _family()
    login("kapus").get(f"/api/v1/records/{family['mother']['_id']}")
    with read_transaction() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action)
                            .where(audit_log.c.target_id == family["mother"]["_id"])).all()
    assert [tuple(r) for r in rows] == [("kapus", "record.open")]
