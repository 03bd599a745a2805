"""PWS board, trend, indicators and morbidity over HTTP: the scope matrix of every role,
RFC 7807 answers to bad input (nothing changed), and months in the Puskesmas's time zone."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend import clock
from backend.db import read_transaction, write_transaction
from backend.projections.tables import diagnoses, encounters, pws_events
from tests import factories as f
from tests.pws import village

BOARD = "/api/v1/pws/board?month=2026-06"
ENDPOINTS = {
    "indicators": "/api/v1/pws/indicators",
    "board": BOARD,
    "trend": f"/api/v1/pws/trend?desa={f.DESA_A}&indicator=k1&month=2026-06",
    "morbidity": "/api/v1/pws/morbidity?month=2026-06",
}
# role user → (status, desa seen on the board)
MATRIX = {
    "kader_a": (403, None), "fktp_a": (403, None),
    "pustu_a": (200, [f.DESA_A]), "pustu_b": (200, [f.DESA_B]),
    "klaster2": (200, [f.DESA_A, f.DESA_B]), "kapus": (200, [f.DESA_A, f.DESA_B]),
    "admin": (200, [f.DESA_A, f.DESA_B]), "dinkes": (200, [f.DESA_A, f.DESA_B]),
}
NOW = dt.datetime(2026, 6, 30, 16, 0, tzinfo=dt.UTC)   # 23:00 WIB, 01:00 WIT on 1 July


@pytest.fixture
def built(app, world, monkeypatch):
    monkeypatch.setattr(clock, "_utc_source", lambda: NOW)
    with write_transaction() as conn:
        village.build(conn)
        conn.execute(encounters.insert(), [
            {"id": f"enc:{n}", "desa": desa, "person_id": person, "date": day,
             "setting": setting, "created_at": "2026-06-01T00:00:00Z", "corrects_id": corrects}
            for n, (desa, person, day, setting, corrects) in enumerate([
                (f.DESA_A, "a_dewasa", dt.date(2026, 6, 2), "pustu", None),
                (f.DESA_A, "a_lansia", dt.date(2026, 6, 3), "fktp", None),
                (f.DESA_B, "b_ibu", dt.date(2026, 6, 4), "pustu", None),
                (f.DESA_B, "b_ibu", dt.date(2026, 6, 5), "pustu", None),   # corrected by 4
                (f.DESA_B, "b_ibu", dt.date(2026, 6, 5), "pustu", "enc:3"),
                (f.DESA_A, "a_dewasa", dt.date(2026, 5, 30), "pustu", None),  # May
            ])])
        conn.execute(diagnoses.insert(), [
            {"encounter_id": f"enc:{n}", "person_id": "x", "desa": desa, "date": day,
             "icd10": code, "case_type": case}
            for n, desa, day, code, case in [
                (0, f.DESA_A, dt.date(2026, 6, 2), "J06.9", "baru"),
                (0, f.DESA_A, dt.date(2026, 6, 2), "A09", "baru"),
                (1, f.DESA_A, dt.date(2026, 6, 3), "J06.0", "baru"),
                (1, f.DESA_A, dt.date(2026, 6, 3), "I10", "lama"),
                (2, f.DESA_B, dt.date(2026, 6, 4), "A91", "baru"),
                (3, f.DESA_B, dt.date(2026, 6, 5), "J06.9", "baru"),   # corrected: not counted
                (4, f.DESA_B, dt.date(2026, 6, 5), "J02.9", "baru"),
                (5, f.DESA_A, dt.date(2026, 5, 30), "J06.9", "baru"),  # May
            ]])


def facts_state():
    with read_transaction() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(pws_events)).scalar_one()


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("username", sorted(MATRIX))
def test_scope_matrix(built, login, endpoint, username):
    status, seen = MATRIX[username]
    url = ENDPOINTS[endpoint]
    if endpoint == "trend" and seen is not None and f.DESA_A not in seen:
        url = url.replace(f.DESA_A, f.DESA_B)
    response = login(username).get(url)
    assert response.status_code == status, response.json
    if status != 200:
        assert response.content_type == "application/problem+json"
        return
    body = response.json
    if endpoint in ("board", "morbidity"):
        assert [d["code"] for d in body["desa"]] == seen
    if endpoint == "board":
        assert {c["desa"] for c in body["cells"]} == set(seen)
        assert len(body["totals"]) == len(body["indicators"]) == 24
    if endpoint == "morbidity":
        assert {r["desa"] for r in body["rows"]} <= set(seen)


def test_without_login_is_401(built, client):
    for url in ENDPOINTS.values():
        response = client.get(url)
        assert response.status_code == 401
        assert response.content_type == "application/problem+json"


def test_trend_outside_area_is_404(built, login):
    response = login("pustu_a").get(
        f"/api/v1/pws/trend?desa={f.DESA_B}&indicator=k1&month=2026-06")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("url,status", [
    ("/api/v1/pws/board?month=2026-13", 422),
    ("/api/v1/pws/board?month=juni", 422),
    ("/api/v1/pws/board?month=2026-6", 422),
    ("/api/v1/pws/board?month=2026-08", 422),           # future
    ("/api/v1/pws/board?month=2021-05", 422),           # more than five years ago
    ("/api/v1/pws/board?month=2026-06&cluster=9", 422),
    ("/api/v1/pws/trend?desa=3204190001&indicator=nope&month=2026-06", 404),
    ("/api/v1/pws/trend?desa=3204199999&indicator=k1&month=2026-06", 404),   # unknown desa
    ("/api/v1/pws/trend?desa=32.04&indicator=k1&month=2026-06", 422),
    ("/api/v1/pws/trend?indicator=k1&month=2026-06", 422),
    ("/api/v1/pws/indicators?year=abc", 422),
    ("/api/v1/pws/morbidity?month=2030-01", 422),
])
def test_bad_input_is_a_problem_and_changes_nothing(built, login, url, status):
    before = facts_state()
    response = login("kapus").get(url)
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == status
    assert facts_state() == before


def test_months_are_the_puskesmas_local_months(built, login, app):
    """At 16:00 UTC on 30 June it is still June in Jakarta (WIB) but already July in
    Jayapura (WIT): July is a future month in one and the current month in the other."""
    kapus = login("kapus")
    assert kapus.get("/api/v1/pws/board?month=2026-07").status_code == 422
    assert kapus.get("/api/v1/pws/board").json["month"] == "2026-06"
    app.config["TIMEZONE"] = "Asia/Jayapura"
    assert kapus.get("/api/v1/pws/board?month=2026-07").status_code == 200
    assert kapus.get("/api/v1/pws/board").json["month"] == "2026-07"
    # A fact dated 30 June (a local date) stays in June whatever the zone.
    june = kapus.get(BOARD).json
    cell = {(c["indicator"], c["desa"]): c for c in june["cells"]}
    assert cell[("usia_produktif", f.DESA_A)]["num_month"] == 1


def test_board_numbers_over_http(built, login):
    body = login("kapus").get(BOARD).json
    got = {(c["indicator"], c["desa"]): (c["num_month"], c["num_cum"], c["denominator"],
                                         c["denominator_source"]) for c in body["cells"]}
    assert got == village.EXPECTED
    cluster = login("kapus").get(BOARD + "&cluster=4").json
    assert [i["id"] for i in cluster["indicators"]] == ["tb"]


def test_indicators_with_targets_of_a_year(built, login):
    rows = login("dinkes").get("/api/v1/pws/indicators?year=2027").json
    k6 = next(r for r in rows if r["id"] == "k6")
    assert (k6["target_pct"], k6["period"], k6["spm"]) == (100.0, "cumulative", True)
    assert k6["numerator_text"] and k6["denominator_text"] and k6["source"]
    assert len(rows) == 24


def test_morbidity_counts_new_cases_by_category(built, login):
    body = login("kapus").get("/api/v1/pws/morbidity?month=2026-06").json
    rows = {(r["desa"], r["code"]): (r["cases"], r["cases_fktp"]) for r in body["rows"]}
    # A: J06 twice (J06.9 at the Pustu, J06.0 at an FKTP), A09 once; I10 "lama" is not new.
    # B: A91 once; J06.9 of the corrected visit is replaced by its correction's J02.9.
    assert rows == {(f.DESA_A, "J06"): (2, 1), (f.DESA_A, "A09"): (1, 0),
                    (f.DESA_B, "A91"): (1, 0), (f.DESA_B, "J02"): (1, 0)}
    assert body["top"][0] == {"code": "J06", "cases": 2,
                              "label": "Infeksi saluran pernapasan atas akut (ISPA)"}
    watch = {w["label"]: w for w in body["watch"]}
    assert watch["ISPA"]["cases_by_desa"] == {f.DESA_A: 2, f.DESA_B: 1}
    assert watch["ISPA"]["total"] == 3
    assert watch["Demam berdarah dengue (DBD)"]["cases_by_desa"] == {f.DESA_A: 0, f.DESA_B: 1}
    assert watch["Tuberkulosis"]["total"] == 0
    # pustu of desa B sees B's rows only
    own = login("pustu_b").get("/api/v1/pws/morbidity?month=2026-06").json
    assert {r["desa"] for r in own["rows"]} == {f.DESA_B}


def test_board_is_in_the_openapi_document(built, client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/pws/board", "/api/v1/pws/trend", "/api/v1/pws/indicators",
                 "/api/v1/pws/morbidity"):
        assert path in spec["paths"]
    assert {"PwsBoard", "PwsCell", "PwsTrend", "PwsMorbidity"} <= set(spec["components"]["schemas"])
