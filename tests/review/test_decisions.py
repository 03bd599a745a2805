"""A reviewer's verdicts (backend/review/decisions.py, POST /api/v1/review/decisions): recorded,
audited, resolving the flags they were given on, 200 at once, and all or nothing."""

from __future__ import annotations

import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.db import read_transaction
from backend.sync.tables import documents
from tests import factories as f
from tests.review.queue_world import child, review_rows, store, task_rows, weighing

URL = "/api/v1/review/decisions"


def audit_rows(action: str = "review.decide") -> list[sa.Row]:
    with read_transaction() as conn:
        return conn.execute(sa.select(audit_log).where(audit_log.c.action == action)
                            .order_by(audit_log.c.id)).all()


def document_count() -> int:
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar()


def test_benar_is_recorded_with_the_revision_and_the_flags_it_resolves(login):
    baby, = store(child())
    store(weighing(baby, days_ago=30))
    visit, = store(weighing(baby, measurements={"height_cm": 61.0}))   # 10 cm less: flagged
    reviewer = login("kapus")

    response = reviewer.post(URL, json={"decision": "benar", "records": [visit["_id"]],
                                        "note": "Diukur ulang oleh bidan: memang 61 cm"})

    assert response.status_code == 200, response.json
    assert response.json == {"decided": [visit["_id"]], "tasks": []}
    row = review_rows()[visit["_id"]]
    assert (row.status, row.rev, row.reviewed_by, row.desa, row.person_id, row.doc_type,
            row.note) == (
        "benar", visit["_rev"], "kapus", f.DESA_A, baby["_id"], "encounter",
        "Diukur ulang oleh bidan: memang 61 cm")
    # the rules config/ilp/quality.json fires on it: shorter than before, and PB/U z < -6
    assert set(row.rules.split(",")) == {"tinggi_menyusut", "z_tidak_wajar"}
    audited, = audit_rows()
    assert (audited.actor, audited.target_id, audited.target_type, audited.desa) == (
        "kapus", visit["_id"], "encounter", f.DESA_A)
    assert audited.detail and '"decision": "benar"' in audited.detail
    queue = reviewer.get("/api/v1/review/queue",
                         query_string={"desa": f.DESA_A, "show": "all"}).json
    shown = {i["id"]: i for i in queue["items"]}[visit["_id"]]
    assert {(fl["rule"], fl["open"], fl["verified_by"]) for fl in shown["flags"]} == {
        ("tinggi_menyusut", False, "Kapus"), ("z_tidak_wajar", False, "Kapus")}
    assert queue["counts"] == {"open": 2, "flagged_open": 0}   # the registration, 1st visit


def test_a_later_verdict_replaces_the_earlier_and_both_are_in_the_audit(login):
    baby, = store(child())
    reviewer = login("klaster2")
    for decision in ("tidak_relevan", "benar"):
        assert reviewer.post(URL, json={"decision": decision,
                                        "records": [baby["_id"]]}).status_code == 200
    assert review_rows()[baby["_id"]].status == "benar"
    assert [r.target_id for r in audit_rows()] == [baby["_id"]] * 2


def test_two_hundred_records_are_decided_at_once(login):
    people = store(*(child(name=f"Anak {i}") for i in range(100)))
    visits = store(*(weighing(p) for p in people))
    records = [d["_id"] for d in people + visits]

    response = login("admin").post(URL, json={"decision": "benar", "records": records})

    assert response.status_code == 200, response.json
    assert set(response.json["decided"]) == set(records)
    assert len(review_rows()) == 200
    assert len(audit_rows()) == 200
    queue = login("admin").get("/api/v1/review/queue", query_string={"desa": f.DESA_A}).json
    assert queue["items"] == [] and queue["counts"]["open"] == 0


def test_bad_input_is_a_clear_error_and_changes_nothing(login, world):
    baby, = store(child())
    other, = store(child(desa=f.DESA_B))
    task, = store(f.task(baby))
    reviewer = login("klaster2")
    b_only = login("pustu_b")
    before = document_count()
    many = [baby["_id"]] + [f"person:{i}" for i in range(200)]
    cases = [
        ({"decision": "setuju", "records": [baby["_id"]]}, 422),
        ({"decision": "benar", "records": many}, 422),
        ({"decision": "benar", "records": []}, 422),
        ({"decision": "perbaikan", "records": [baby["_id"], "encounter:tidak-ada"]}, 404),
        ({"decision": "perbaikan", "records": [baby["_id"], task["_id"]]}, 422),
        ({"decision": "benar", "records": [baby["_id"]], "note": "x" * 301}, 422),
        ({"decision": "benar"}, 422),
    ]
    for body, status in cases:
        response = reviewer.post(URL, json=body)
        assert response.status_code == status, (body, response.json)
        assert response.json["detail"], body
    # a reviewer of desa A only: desa B's record is as unknown as a made-up id
    kapus_a = login("kapus")
    assert kapus_a.post(URL, json={"decision": "benar", "records": [other["_id"]]}
                        ).status_code == 200   # kapus covers both desa: allowed
    assert b_only.post(URL, json={"decision": "benar", "records": [baby["_id"]]}
                       ).status_code == 403   # a Pustu does not review
    assert review_rows().keys() == {other["_id"]}
    assert [r.target_id for r in audit_rows()] == [other["_id"]]
    assert document_count() == before
    assert [t.id for t in task_rows()] == [task["_id"]]


def test_a_record_outside_the_reviewers_area_is_unknown(app, login):
    from backend.auth.users import create_user  # noqa: PLC0415
    from backend.db import write_transaction  # noqa: PLC0415

    with write_transaction() as conn:
        create_user(conn, username="klaster_a", password=f.PASSWORD, role="klaster",
                    display_name="Klaster A", cluster="1", scopes=[f.DESA_A])
    mine, = store(child())
    theirs, = store(child(desa=f.DESA_B))

    response = login("klaster_a").post(URL, json={"decision": "perbaikan",
                                                  "records": [mine["_id"], theirs["_id"]]})

    assert response.status_code == 404
    assert response.json["errors"]["json"]["records"] == [theirs["_id"]]
    assert review_rows() == {} and audit_rows() == [] and task_rows() == []
