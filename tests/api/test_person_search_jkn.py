"""The loket finds a person by the JKN number on their card (issue 15, registration), in the
caller's area only, like a NIK."""

from __future__ import annotations

from backend.writes import save_docs
from tests import factories as f

JKN_A, JKN_B = "0001234567801", "0001234567802"


def _people():
    docs = [f.person(desa=f.DESA_A, name="Kartu Sehat", jkn=JKN_A),
            f.person(desa=f.DESA_B, name="Kartu Lain", jkn=JKN_B)]
    assert all(r["ok"] for r in save_docs(docs, None))
    return docs


def test_a_jkn_number_finds_its_person(login, world):
    own, _ = _people()
    items = login("kapus").get(f"/api/v1/persons?jkn={JKN_A}").json["items"]
    assert [item["id"] for item in items] == [own["_id"]]


def test_a_jkn_number_of_another_desa_finds_nothing(login, world):
    _people()
    page = login("pustu_a").get(f"/api/v1/persons?jkn={JKN_B}").json
    assert page["items"] == [] and page["total"] == 0


def test_a_jkn_number_is_thirteen_digits(login, world):
    response = login("kapus").get("/api/v1/persons?jkn=12345")
    assert response.status_code == 422
    assert "jkn" in response.json["errors"]["query"]
