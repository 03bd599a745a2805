"""Merging a duplicate person (POST /api/v1/review/merges), following it, and undoing it
(backend/review/merge.py, follow.py; docs/review.md "Merging and undo"), on both databases.

The family: Siti was registered twice in desa A. `siti` (the survivor) has a household and
a visit; `dup` (the duplicate) has a NIK, a phone, another household, a visit, a pregnancy
whose delivery names her baby, the baby (mother = dup), a task, a Posyandu attendance (both
ticked) and a reminder consent.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from backend import clock
from backend.audit.tables import audit_log
from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from backend.projections.tables import encounters, persons, pws_events, tasks
from backend.review.follow import bodies
from backend.review.tables import merges
from backend.sync.tables import sync_meta
from backend.writes import save_docs, write_docs
from tests import factories as f
from tests.followup.conftest import replicated

URL = "/api/v1/review/merges"
DESA_C = "3204190003"   # in the Puskesmas, in nobody's area
TODAY = dt.date.today()


def _save(*docs: dict) -> None:
    results = save_docs(list(docs), None)
    assert all(r.get("ok") for r in results), results


@pytest.fixture
def family(world) -> SimpleNamespace:
    home, other_home = f.household(), f.household(head_name="Joko")
    posyandu = f.place("posyandu", "Posyandu Melati", f.DESA_A,
                       parent=world.desa[f.DESA_A]["_id"])
    siti = f.person(name="Siti Aminah", household=home["_id"], relation="istri")
    dup = f.person(name="Siti Aminah", nik="3204195705940001", phone="081234567890",
                   household=other_home["_id"], relation="anak")
    baby = f.person(name="Bayi Siti", sex="L", birth_date=(TODAY - dt.timedelta(days=60))
                    .isoformat(), mother=dup["_id"], household=other_home["_id"])
    pregnancy = f.pregnancy(dup, status="delivered", delivery={
        "date": (TODAY - dt.timedelta(days=60)).isoformat(), "babies": [baby["_id"]]})
    session = f.posyandu_session(posyandu, attendance=[siti["_id"], dup["_id"]])
    consent = {**f._base("subscription_consent", f.DESA_A), "household": other_home["_id"],
               "person": dup["_id"], "given_at": f.TS, "given_by": "Siti"}
    ns = SimpleNamespace(
        home=home, other_home=other_home, siti=siti, dup=dup, baby=baby, pregnancy=pregnancy,
        session=session, consent=consent, posyandu=posyandu,
        siti_visit=f.encounter(siti),
        dup_visit=f.encounter(dup, measurements={"sbp": 122, "dbp": 78}),
        task=f.task(dup), neighbour=f.person(name="Ani", sex="P"),
        other_desa=f.person(desa=f.DESA_B, name="Siti Aminah"))
    place_c = f.place("desa", "Sukalaksana", DESA_C, code=DESA_C,
                      parent=world.puskesmas["_id"])
    ns.outside = f.person(desa=DESA_C, name="Siti Aminah")
    _save(home, other_home, posyandu, place_c, siti, dup, baby, pregnancy, session,
          ns.siti_visit, ns.dup_visit, ns.task, ns.neighbour, ns.other_desa, ns.outside)
    _save(consent)
    return ns


def doc(doc_id: str) -> dict:
    with read_transaction() as conn:
        return bodies(conn, [doc_id])[doc_id]


def snapshot() -> tuple:
    """What a refused request must leave as it was: the store's sequence and the merges."""
    with read_transaction() as conn:
        return (conn.execute(sa.select(sync_meta.c.update_seq)).scalar_one(),
                conn.execute(sa.select(sa.func.count()).select_from(merges)).scalar_one())


def test_a_merge_moves_every_record_and_keeps_the_duplicate_as_merged(login, family):
    v = family
    response = login("kapus").post(URL, json={"survivor": v.siti["_id"],
                                              "merged": v.dup["_id"]})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["moved"] == {"encounter": 1, "pregnancy": 1, "task": 1, "person": 1,
                             "household": 0, "posyandu_session": 1, "subscription_consent": 1}
    sid, did = v.siti["_id"], v.dup["_id"]
    assert doc(v.dup_visit["_id"])["person"] == sid
    assert doc(v.pregnancy["_id"])["person"] == sid
    assert doc(v.task["_id"])["person"] == sid
    assert doc(v.baby["_id"])["mother"] == sid
    assert doc(v.session["_id"])["attendance"] == [sid]   # once, though both were ticked
    assert doc(v.consent["_id"])["person"] == sid
    assert doc(v.pregnancy["_id"])["delivery"]["babies"] == [v.baby["_id"]]
    survivor, merged = doc(sid), doc(did)
    # The survivor fills its empty fields; its own household stays.
    assert (survivor["nik"], survivor["phone"], survivor["household"]) == (
        v.dup["nik"], v.dup["phone"], v.home["_id"])
    assert set(survivor["field_ts"]) == {"nik", "phone"}
    assert survivor["updated_by"] == "kapus"
    # The duplicate is kept, merged, out of its household.
    assert merged["merged_into"] == sid and "household" not in merged
    assert merged["name"] == "Siti Aminah" and merged["nik"] == v.dup["nik"]
    with read_transaction() as conn:
        assert conn.execute(sa.select(encounters.c.person_id).distinct()).scalars().all() == [sid]
        assert conn.execute(sa.select(tasks.c.person_id)).scalars().all() == [sid]
        assert conn.execute(sa.select(persons.c.merged_into_id)
                            .where(persons.c.id == did)).scalar_one() == sid
        # The duplicate's delivery and screening now count for the survivor (PWS facts).
        counted = conn.execute(sa.select(pws_events.c.person_id, pws_events.c.ref_id)).all()
        assert {p for p, _ in counted} == {sid}
        assert v.pregnancy["_id"] in {ref for _, ref in counted}
        row = conn.execute(sa.select(merges)).one()
        audited = conn.execute(sa.select(audit_log).where(
            audit_log.c.action == "person.merge")).one()
    assert (row.id, row.survivor, row.merged, row.merged_by, row.desa) == (
        body["id"], sid, did, "kapus", f.DESA_A)
    assert row.undo_until == body["undo_until"]
    until = dt.datetime.fromisoformat(body["undo_until"].replace("Z", "+00:00"))
    assert dt.timedelta(days=29) < until - clock.utc_now() <= dt.timedelta(days=30)
    fields = {(c["id"], c["field"]) for c in json.loads(row.changes)}
    assert (did, "merged_into") in fields and (v.dup_visit["_id"], "person") in fields
    assert (audited.target_id, audited.actor, json.loads(audited.detail)["survivor"]) == (
        did, "kapus", sid)
    listed = login("kapus").get(URL, query_string={"desa": f.DESA_A}).json["items"]
    assert [(m["survivor_name"], m["merged"], m["can_undo"]) for m in listed] == [
        ("Siti Aminah", did, True)]
    # Who merged, as colleagues call them (the screen shows the name, not the account).
    with read_transaction() as conn:
        kapus = get_user(conn, username="kapus")[0]
    assert (listed[0]["merged_by"], listed[0]["merged_by_name"]) == ("kapus", kapus.display_name)
    assert kapus.display_name != "kapus"


def test_the_survivor_takes_the_fields_the_reviewer_chose(login, family):
    v = family
    response = login("klaster2").post(URL, json={
        "survivor": v.siti["_id"], "merged": v.dup["_id"], "take": ["household"]})
    assert response.status_code == 201, response.json
    assert response.json["moved"]["household"] == 1
    survivor = doc(v.siti["_id"])
    assert (survivor["household"], survivor["relation"]) == (v.other_home["_id"], "anak")


@pytest.mark.parametrize(("case", "status"), [
    ("self", 422), ("unknown", 404), ("outside", 404), ("other_desa", 409),
    ("bad_take", 422), ("into_merged", 409), ("twice", 409)])
def test_bad_merges_are_refused_and_change_nothing(login, family, case, status):
    v = family
    kapus = login("kapus")
    if case in ("into_merged", "twice"):
        assert kapus.post(URL, json={"survivor": v.siti["_id"],
                                     "merged": v.dup["_id"]}).status_code == 201
    before = snapshot()
    pair = {"self": (v.siti, v.siti), "outside": (v.siti, v.outside),
            "other_desa": (v.siti, v.other_desa), "bad_take": (v.siti, v.dup),
            "into_merged": (v.dup, v.neighbour), "twice": (v.siti, v.dup),
            "unknown": (v.siti, {"_id": "person:tidak-ada"})}[case]
    body = {"survivor": pair[0]["_id"], "merged": pair[1]["_id"]}
    if case == "bad_take":
        body["take"] = ["merged_into"]
    response = kapus.post(URL, json=body)
    assert response.status_code == status, response.json
    assert response.json["detail"]
    if case == "other_desa":
        assert "Pindahkan dulu" in response.json["detail"]
    assert snapshot() == before


def test_only_reviewers_merge(login, family):
    body = {"survivor": family.siti["_id"], "merged": family.dup["_id"]}
    for username in ("pustu_a", "kader_a", "dinkes", "fktp_a"):
        assert login(username).post(URL, json=body).status_code == 403, username
    assert snapshot()[1] == 0


def test_undo_writes_back_what_the_merge_changed_and_a_later_edit_wins(login, family):
    v = family
    kapus = login("kapus")
    merge_id = kapus.post(URL, json={"survivor": v.siti["_id"], "merged": v.dup["_id"],
                                     "take": ["household"]}).json["id"]
    # Since the merge, the bidan corrected the survivor's phone.
    survivor = doc(v.siti["_id"])
    edited = kapus.patch(f"/api/v1/persons/{v.siti['_id']}",
                         json={"_rev": survivor["_rev"], "phone": "089999999999"})
    assert edited.status_code == 200, edited.json
    response = kapus.post(f"{URL}/{merge_id}/undo")
    assert response.status_code == 200, response.json
    assert response.json["id"] == merge_id
    for original in (v.dup_visit, v.pregnancy, v.task, v.baby, v.session, v.consent):
        now = doc(original["_id"])
        for name in ("person", "mother", "attendance", "delivery"):
            assert now.get(name) == original.get(name), (original["_id"], name)
    merged, survivor = doc(v.dup["_id"]), doc(v.siti["_id"])
    assert "merged_into" not in merged and merged["household"] == v.other_home["_id"]
    assert (survivor["household"], survivor["relation"]) == (v.home["_id"], "istri")
    assert "nik" not in survivor
    assert survivor["phone"] == "089999999999"   # the later edit wins over the undo
    with read_transaction() as conn:
        row = conn.execute(sa.select(merges)).one()
        assert conn.execute(sa.select(audit_log.c.id).where(
            audit_log.c.action == "person.merge_undo")).all()
    assert (row.undone_by, row.undone_at) == ("kapus", response.json["undone_at"])
    listed = kapus.get(URL, query_string={"desa": f.DESA_A}).json["items"]
    assert listed[0]["can_undo"] is False and listed[0]["undone_at"]
    again = kapus.post(f"{URL}/{merge_id}/undo")
    assert again.status_code == 409 and "sudah dibatalkan" in again.json["detail"]


def test_undo_after_the_period_or_outside_the_area_is_refused(login, family, monkeypatch):
    v = family
    merge_id = login("kapus").post(URL, json={"survivor": v.siti["_id"],
                                              "merged": v.dup["_id"]}).json["id"]
    assert login("kapus").post(f"{URL}/merge-tidak-ada/undo").status_code == 404
    later = clock.utc_now() + dt.timedelta(days=31)
    monkeypatch.setattr(clock, "_utc_source", lambda: later)
    before = snapshot()
    response = login("kapus").post(f"{URL}/{merge_id}/undo")
    assert response.status_code == 409 and "lewat" in response.json["detail"]
    assert snapshot() == before and doc(v.dup["_id"])["merged_into"] == v.siti["_id"]


def test_two_reviewers_merging_the_same_pair_at_once_do_not_both_succeed(login, family):
    v = family
    sessions = [login("kapus"), login("klaster2")]
    answers: list[int] = []

    def send(session):
        answers.append(session.post(URL, json={"survivor": v.siti["_id"],
                                               "merged": v.dup["_id"]}).status_code)

    threads = [threading.Thread(target=send, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201, 409]
    assert snapshot()[1] == 1


def test_a_visit_pushed_for_the_merged_person_follows_to_the_survivor(login, family):
    v = family
    merge_id = login("kapus").post(URL, json={"survivor": v.siti["_id"],
                                              "merged": v.dup["_id"]}).json["id"]
    # A tablet offline during the merge records a visit (a raised blood pressure, so a
    # follow-up task is derived) and a child on the duplicate, then syncs.
    late = f.encounter(v.dup, date=(TODAY - dt.timedelta(days=400)).isoformat(),
                       measurements={"sbp": 118, "dbp": 76})
    high = f.encounter(v.dup, measurements={"sbp": 168, "dbp": 98})
    child = f.person(name="Adik", sex="P", birth_date="2025-01-01", mother=v.dup["_id"])
    with write_transaction() as conn:
        pustu = get_user(conn, username="pustu_a")[0]
        results = write_docs(conn, replicated(late, high, child), pustu, new_edits=False)
    assert all(r.get("ok") for r in results), results
    assert doc(late["_id"])["person"] == v.siti["_id"]   # older than the follow-up horizon
    assert doc(high["_id"])["person"] == v.siti["_id"]
    assert doc(child["_id"])["mother"] == v.siti["_id"]
    with read_transaction() as conn:
        derived = conn.execute(sa.select(tasks.c.person_id).where(
            tasks.c.origin_id == high["_id"])).scalars().all()
        # A screening of last year (one a year counts): the late visit is its only source.
        counted = set(conn.execute(sa.select(pws_events.c.person_id).where(
            pws_events.c.ref_id == late["_id"])).scalars())
        owners = set(conn.execute(sa.select(pws_events.c.person_id)).scalars())
        changes = json.loads(conn.execute(sa.select(merges.c.changes)).scalar_one())
    assert derived and set(derived) == {v.siti["_id"]}
    assert counted == owners == {v.siti["_id"]}   # PWS counts the visits for the survivor
    assert {late["_id"], high["_id"], child["_id"]} <= {c["id"] for c in changes}
    # The undo covers what followed: the visits go back to the person they were recorded on.
    assert login("kapus").post(f"{URL}/{merge_id}/undo").status_code == 200
    assert doc(late["_id"])["person"] == doc(high["_id"])["person"] == v.dup["_id"]
    assert doc(child["_id"])["mother"] == v.dup["_id"]


def test_a_merged_person_is_in_no_list_of_the_living(login, family):
    from backend.pws import groups  # noqa: PLC0415
    from backend.pws.months import current_month  # noqa: PLC0415

    v = family
    kapus = login("kapus")

    def listed() -> tuple[set, set, set]:
        found = kapus.get("/api/v1/persons", query_string={"q": "Siti Aminah",
                                                          "desa": f.DESA_A}).json["items"]
        members = kapus.get("/api/v1/persons", query_string={
            "household": v.other_home["_id"]}).json["items"]
        with read_transaction() as conn:
            registered = set(conn.execute(sa.select(groups.members(
                "usia_produktif", [f.DESA_A], current_month()).subquery().c.person_id))
                .scalars())
        return {p["id"] for p in found}, {p["id"] for p in members}, registered

    sid, did = v.siti["_id"], v.dup["_id"]
    found, members, registered = listed()
    assert {sid, did} <= found and did in members and {sid, did} <= registered
    merge_id = kapus.post(URL, json={"survivor": sid, "merged": did}).json["id"]
    found, members, registered = listed()
    assert did not in found | members | registered
    assert sid in found and sid in registered
    # Its own page still opens by id, and says where it went.
    assert kapus.get(f"/api/v1/persons/{did}").json["merged_into"] == sid
    assert kapus.post(f"{URL}/{merge_id}/undo").status_code == 200
    assert did in listed()[2]
