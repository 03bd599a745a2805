"""The review queue of a desa (backend/review/queue.py, GET /api/v1/review/queue): which records
are open, in which order, paged how, and what each item says."""

from __future__ import annotations

import datetime as dt

from backend.clinical import default_config
from backend.review.items import FLAG_FALLBACK, rule_labels
from tests import factories as f
from tests.review.queue_world import TODAY, child, flag, pustu_a_fixture, store, weighing  # noqa: F401

URL = "/api/v1/review/queue"


def page(session, **query) -> dict:
    response = session.get(URL, query_string={"desa": f.DESA_A, **query})
    assert response.status_code == 200, response.json
    return response.json


def ids(body: dict) -> list[str]:
    return [item["id"] for item in body["items"]]


def test_flagged_records_come_first_then_the_newest_synced(login):
    mother, baby = store(f.person(name="Siti Aminah"), child())
    old, new = store(weighing(baby, days_ago=30), weighing(baby, days_ago=1))
    pregnancy, = store(f.pregnancy(mother, hpht=(TODAY - dt.timedelta(weeks=10)).isoformat()))
    flag(old)

    body = page(login("klaster2"))

    assert ids(body) == [old["_id"], pregnancy["_id"], new["_id"], baby["_id"], mother["_id"]]
    assert body["counts"] == {"open": 5, "flagged_open": 1}
    assert body["next"] is None
    first = body["items"][0]
    label = rule_labels(default_config()).get("tinggi_menyusut", FLAG_FALLBACK)
    assert first["flags"] == [{"rule": "tinggi_menyusut", "label": label,
                               "detail": "tinggi 17 cm, sebelumnya 71 cm", "open": True,
                               "verified_by": None}]
    assert {k: first[k] for k in ("type", "person_id", "person_name", "date", "review",
                                  "corrected_by")} == {
        "type": "encounter", "person_id": baby["_id"], "person_name": "Dimas Pratama",
        "date": old["date"], "review": None, "corrected_by": None}
    assert page(login("kapus"), flagged=1)["items"][0]["id"] == old["_id"]
    assert ids(page(login("admin"), flagged=1)) == [old["_id"]]


def test_a_visit_and_its_screening_are_one_item_said_in_words(login, pustu_a):
    baby, = store(child())
    visit, = store(weighing(baby, place=pustu_a["_id"], setting="pustu", provider="Bidan Rina",
                            immunizations=[{"vaccine": "DPT-HB-Hib", "dose": 2}],
                            screenings=[{"instrument": "tb_gejala", "answers": {}}]))

    items = page(login("klaster2"))["items"]

    assert [i["id"] for i in items].count(visit["_id"]) == 1
    item = items[0]
    assert item["summary"] == ("BB 9,1 kg · TB 71 cm · LiLA 13,5 cm · Imunisasi DPT-HB-Hib 2 · "
                               "Skrining gejala TBC")
    assert item["where"] == "Pustu Cikalong"
    assert item["by"] == "Bidan Rina"
    registration = items[1]
    assert registration["summary"].startswith("Pendaftaran: laki-laki lahir ")
    assert registration["where"] is None


def test_paging_shows_every_record_once_while_new_records_arrive(login):
    people = store(*(child(name=f"Anak {i}") for i in range(5)))
    visits = store(*(weighing(p) for p in people[:2]))
    for doc in (people[3], visits[0]):
        flag(doc)
    reviewer = login("klaster2")
    expected = {d["_id"] for d in people + visits}

    seen, after = [], None
    while True:
        body = page(reviewer, limit=2, **({"after": after} if after else {}))
        seen += ids(body)
        store(child(name="Datang belakangan"))   # arrives between two pages
        after = body["next"]
        if after is None:
            break

    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    assert set(seen[:2]) == {people[3]["_id"], visits[0]["_id"]}   # flagged first
    late = page(reviewer, limit=5)["items"]
    assert [i["person_name"] for i in late[2:5]] == ["Datang belakangan"] * 3


def test_a_verdict_takes_a_record_out_until_it_is_edited_again(login):
    baby, = store(child())
    reviewer = login("klaster2")
    decided = reviewer.post("/api/v1/review/decisions",
                            json={"decision": "benar", "records": [baby["_id"]]})
    assert decided.status_code == 200, decided.json

    assert ids(page(reviewer)) == []
    reviewed = page(reviewer, show="reviewed")["items"]
    assert [i["id"] for i in reviewed] == [baby["_id"]]
    assert reviewed[0]["review"]["status"] == "benar"
    assert reviewed[0]["review"]["by"] == "Klaster2"

    store({**baby, "name": "Dimas Pratama Putra"})   # a new revision from the tablet

    again = page(reviewer)["items"]
    assert [i["id"] for i in again] == [baby["_id"]]
    assert again[0]["review"]["status"] == "benar"   # the old verdict shows, yet it is open
    assert page(reviewer)["counts"]["open"] == 1


def test_a_corrected_visit_leaves_the_queue_and_its_correction_enters(login):
    baby, = store(child())
    wrong, = store(weighing(baby, measurements={"height_cm": 61.0}))
    flag(wrong)
    fixed, = store(weighing(baby, corrects=wrong["_id"]))
    reviewer = login("klaster2")

    assert wrong["_id"] not in ids(page(reviewer))
    assert fixed["_id"] in ids(page(reviewer))
    shown = {i["id"]: i for i in page(reviewer, show="all")["items"]}
    assert shown[wrong["_id"]]["corrected_by"] == fixed["_id"]
    assert shown[fixed["_id"]]["summary"].startswith("Koreksi · ")


def test_a_person_merged_into_another_is_not_in_the_queue(login):
    survivor, = store(child())
    merged, = store(child(merged_into=survivor["_id"]))
    assert merged["_id"] not in ids(page(login("klaster2"), show="all"))


def test_only_reviewers_of_the_desa_see_its_queue(login):
    store(child(name="Rahasia Desa B", desa=f.DESA_B))
    assert login("pustu_a").get(URL, query_string={"desa": f.DESA_A}).status_code == 403
    assert login("dinkes").get(URL, query_string={"desa": f.DESA_A}).status_code == 403
    outside = login("klaster2").get(URL, query_string={"desa": "3204190003"})
    assert outside.status_code == 404
    assert ids(page(login("klaster2"))) == []   # desa B's person is not in desa A's queue


def test_bad_paging_input_is_a_clear_error(login):
    reviewer = login("klaster2")
    for query in ({"after": "bukan-penanda"}, {"limit": 201}, {"limit": 0}, {"show": "semua"}):
        response = reviewer.get(URL, query_string={"desa": f.DESA_A, **query})
        assert response.status_code == 422, query
        assert response.json["detail"], query
