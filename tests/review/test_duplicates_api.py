"""The duplicates API: open pairs of a desa for the reviewer's area only, the side-by-side
comparison, and "bukan orang yang sama", which is audited and refused (changing nothing) for a
person outside the area, a merged person, a person with itself, or a pair decided twice."""

from __future__ import annotations

import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.auth.users import create_user
from backend.db import read_transaction, write_transaction
from backend.review.tables import duplicate_verdicts
from backend.writes import write_docs
from tests import factories
from tests.conftest import Login
from tests.factories import DESA_A, DESA_B

URL = "/api/v1/review/duplicates"


def _write(*docs: dict) -> list[dict]:
    with write_transaction() as conn:
        results = write_docs(conn, list(docs), None)
    assert all(r.get("ok") for r in results), results
    return results


def _twins_of_a(name: str = "Dadan Hidayat", **fields) -> tuple[dict, dict, dict]:
    """A child registered twice in desa A by two kader (two households, one spelling slip)."""
    home = factories.household(DESA_A, head_name="Ujang Suryana", no_kk="3204190101200001")
    first = factories.person(DESA_A, name=name, sex="L", birth_date="2024-02-10",
                             household=home["_id"], relation="anak", **fields)
    second = factories.person(DESA_A, name=name.replace("Hidayat", "Hidayah"), sex="L",
                              birth_date="2024-02-10", relation="anak")
    _write(home, first, second, factories.encounter(first), factories.encounter(second))
    return home, first, second


def _verdicts() -> int:
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(duplicate_verdicts)).scalar()


def _audits() -> list:
    with read_transaction() as conn:
        return conn.execute(sa.select(audit_log.c.action, audit_log.c.target_id,
                                      audit_log.c.desa, audit_log.c.actor)
                            .where(audit_log.c.action == "duplicate.dismiss")).all()


def test_a_reviewer_sees_the_pair_with_both_persons_and_reasons_in_words(login) -> None:
    _, first, second = _twins_of_a()
    body = login("kapus").get(URL, query_string={"desa": DESA_A}).json
    [pair] = body["items"]
    assert body["next"] is None
    assert {pair["a"]["id"], pair["b"]["id"]} == {first["_id"], second["_id"]}
    assert pair["score"] >= 0.65
    assert [r["label"] for r in pair["reasons"]] == ["Nama mirip", "Tanggal lahir sama",
                                                     "Desa sama"]
    card = pair["a"] if pair["a"]["id"] == first["_id"] else pair["b"]
    assert card["household_name"] == "Ujang Suryana" and card["no_kk"] == "3204190101200001"
    assert (card["desa_name"], card["encounters"], card["tasks"]) == ("Cikalong", 1, 0)
    assert card["created_at"] == factories.TS and card["last_visit"]


def test_roles_that_do_not_review_are_refused_and_other_desa_are_unknown(app, login) -> None:
    _twins_of_a()
    assert login("pustu_a").get(URL, query_string={"desa": DESA_A}).status_code == 403
    assert login("dinkes").get(URL, query_string={"desa": DESA_A}).status_code == 403
    assert login("kapus").get(URL, query_string={"desa": "3204190009"}).status_code == 404
    assert login("kapus").get(URL).status_code == 422


def test_a_pair_with_one_person_outside_the_area_is_not_shown(app, login) -> None:
    in_a = factories.person(DESA_A, nik="3204195705940001")
    in_b = factories.person(DESA_B, nik="3204195705940001")
    _write(in_a, in_b)
    with write_transaction() as conn:
        create_user(conn, username="klaster_a", password=factories.PASSWORD, role="klaster",
                    display_name="Klaster A", cluster="1", scopes=[DESA_A])
    only_a = Login(app, "klaster_a")
    assert only_a.get(URL, query_string={"desa": DESA_A}).json["items"] == []
    compared = only_a.get(f"{URL}/compare", query_string={"a": in_a["_id"], "b": in_b["_id"]})
    assert compared.status_code == 404
    both = login("kapus").get(URL, query_string={"desa": DESA_B}).json["items"]
    assert both[0]["reasons"][0]["code"] == "nik_sama"


def test_pages_follow_the_cursor_best_score_first(login) -> None:
    _twins_of_a()
    _twins_of_a("Ujang Hidayat", nik="3204190101240001")
    kapus = login("kapus")
    first = kapus.get(URL, query_string={"desa": DESA_A, "limit": 1}).json
    second = kapus.get(URL, query_string={"desa": DESA_A, "limit": 1,
                                          "after": first["next"]}).json
    assert first["next"] and second["next"] is None
    assert first["items"][0]["score"] >= second["items"][0]["score"]
    assert first["items"][0]["a"]["id"] != second["items"][0]["a"]["id"]
    refused = kapus.get(URL, query_string={"desa": DESA_A, "after": "bukan-kursor"})
    assert refused.status_code == 422


def test_compare_lists_every_field_in_words(login) -> None:
    _, first, second = _twins_of_a()
    body = login("klaster2").get(f"{URL}/compare",
                                 query_string={"a": first["_id"], "b": second["_id"]}).json
    rows = {row["field"]: row for row in body["fields"]}
    assert rows["sex"]["a"] == "Laki-laki" and rows["sex"]["same"] is True
    assert rows["relation"]["a"] == "Anak"
    assert rows["name"]["same"] is False and rows["no_kk"]["b"] is None
    assert body["score"] >= 0.65 and body["a"]["id"] == first["_id"]


def test_compare_refuses_a_person_with_itself_and_unknown_persons(login) -> None:
    _, first, _ = _twins_of_a()
    kapus = login("kapus")
    same = kapus.get(f"{URL}/compare", query_string={"a": first["_id"], "b": first["_id"]})
    assert same.status_code == 422
    unknown = kapus.get(f"{URL}/compare", query_string={"a": first["_id"], "b": "person:x"})
    assert unknown.status_code == 404


def test_dismiss_takes_the_pair_off_the_list_once_and_audits_it(login) -> None:
    _, first, second = _twins_of_a()
    kapus = login("kapus")
    pair = {"a": second["_id"], "b": first["_id"]}
    response = kapus.post(f"{URL}/dismiss", json=pair)
    assert response.status_code == 200
    assert response.json == {**pair, "verdict": "bukan_duplikat"}
    assert kapus.get(URL, query_string={"desa": DESA_A}).json["items"] == []
    assert _audits() == [("duplicate.dismiss", min(pair.values()), DESA_A, "kapus")]
    again = kapus.post(f"{URL}/dismiss", json=pair)
    assert again.status_code == 409
    assert (_verdicts(), len(_audits())) == (1, 1)


def test_dismiss_refuses_outside_merged_and_self_changing_nothing(app, login) -> None:
    _, first, second = _twins_of_a()
    in_b = factories.person(DESA_B, name="Dadan Hidayat")
    _write(in_b)
    with write_transaction() as conn:
        create_user(conn, username="klaster_a", password=factories.PASSWORD, role="klaster",
                    display_name="Klaster A", cluster="1", scopes=[DESA_A])
    only_a = Login(app, "klaster_a")
    assert only_a.post(f"{URL}/dismiss", json={"a": first["_id"], "b": in_b["_id"]}
                       ).status_code == 404
    assert only_a.post(f"{URL}/dismiss", json={"a": first["_id"], "b": first["_id"]}
                       ).status_code == 422
    merged = factories.person(DESA_A, name="Dadan Hidayat", merged_into=first["_id"])
    _write(merged)
    refused = login("kapus").post(f"{URL}/dismiss", json={"a": merged["_id"], "b": second["_id"]})
    assert refused.status_code == 409
    assert (_verdicts(), _audits()) == (0, [])


def test_a_merged_pair_leaves_the_list_and_comes_back_on_undo(login) -> None:
    _, first, second = _twins_of_a()
    kapus = login("kapus")
    merged = kapus.post("/api/v1/review/merges", json={"survivor": first["_id"],
                                                       "merged": second["_id"]})
    assert merged.status_code == 201, merged.json
    assert kapus.get(URL, query_string={"desa": DESA_A}).json["items"] == []
    refused = kapus.post(f"{URL}/dismiss", json={"a": first["_id"], "b": second["_id"]})
    assert refused.status_code == 409
    undone = kapus.post(f"/api/v1/review/merges/{merged.json['id']}/undo")
    assert undone.status_code == 200, undone.json
    [pair] = kapus.get(URL, query_string={"desa": DESA_A}).json["items"]
    assert {pair["a"]["id"], pair["b"]["id"]} == {first["_id"], second["_id"]}
