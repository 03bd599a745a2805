"""The monthly evaluation (JSON and XLSX) on a hand-built village, October 2026.

K1 (cumulative, target 100 %/year → 83.3 % by October): desa A has an official sasaran of
10 pregnant women, 2 first contacts in September and 3 in October → 5/10 = 50 %, 30 % this
month against 20 % last month (rising, below the line: Cukup), 4 short of the line
(ceil(10 × 83.3 %) = 9, minus 5). Desa B: sasaran 20, 1 first contact in October → 5 %,
Cukup, 16 short (ceil(20 × 10/12) = 17 - 1). One PWS task for desa A from September, done,
the person came. The workbook is opened with openpyxl and one known value checked per sheet.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from backend import clock
from backend.db import write_transaction
from backend.projections.tables import pws_events
from backend.pws.tables import sasaran
from backend.writes import write_docs
from tests import factories as f

MONTH = "2026-10"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPECTED = {"kapus": 200, "klaster2": 200, "admin": 200, "pustu_a": 200, "pustu_b": 200,
            "dinkes": 200, "fktp_a": 403, "kader_a": 403}


@pytest.fixture(autouse=True)
def late_2026(monkeypatch):
    monkeypatch.setattr(clock, "_utc_source",
                        lambda: dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC))


@pytest.fixture
def village(world):
    woman = f.person(name="Rina Rahasia")
    diarrhoea = f.encounter(woman, date="2026-10-05", setting="pustu",
                            diagnoses=[{"icd10": "A09.9", "case": "baru"}])
    task = f.task(woman, reason="K1 belum tercatat", source="pws:k1:2026-09", status="done",
                  outcome_code="datang", due_date="2026-10-10")
    with write_transaction() as conn:
        assert all(r.get("ok") for r in write_docs(conn, [woman, diarrhoea, task], None))
        conn.execute(sa.insert(sasaran), [
            {"desa": desa, "year": 2026, "target_group": "bumil", "value": value,
             "imported_at": "2026-01-02T08:00:00Z", "imported_by": "admin",
             "source_file": "sasaran.csv"} for desa, value in ((f.DESA_A, 10), (f.DESA_B, 20))])
        firsts = [(f.DESA_A, dt.date(2026, 9, 3)), (f.DESA_A, dt.date(2026, 9, 20)),
                  (f.DESA_A, dt.date(2026, 10, 1)), (f.DESA_A, dt.date(2026, 10, 8)),
                  (f.DESA_A, dt.date(2026, 10, 31)), (f.DESA_B, dt.date(2026, 10, 15))]
        conn.execute(sa.insert(pws_events), [
            {"person_id": f"person:k1-{i}", "desa": desa, "event": "anc_k1", "date": day,
             "setting": "pustu", "ref_id": f"pregnancy:{i}", "value": None}
            for i, (desa, day) in enumerate(firsts)])


def _k1(data: dict) -> dict:
    [cluster] = [c for c in data["clusters"] if c["cluster"] == "2"]
    return next(i for i in cluster["indicators"] if i["id"] == "k1")


def test_scope_matrix(village, login):
    for suffix in ("", ".xlsx"):
        url = f"/api/v1/pws/evaluation{suffix}?month={MONTH}"
        got = {user: login(user).get(url).status_code for user in EXPECTED}
        assert got == EXPECTED, suffix


def test_each_role_sees_its_desa_and_no_name(village, login):
    for user, desa in (("kapus", [f.DESA_A, f.DESA_B]), ("pustu_b", [f.DESA_B]),
                       ("dinkes", [f.DESA_A, f.DESA_B])):
        response = login(user).get(f"/api/v1/pws/evaluation?month={MONTH}")
        assert [d["code"] for d in response.json["desa"]] == desa, user
        assert "Rina" not in response.get_data(as_text=True)
        xlsx_body = login(user).get(f"/api/v1/pws/evaluation.xlsx?month={MONTH}")
        wb = load_workbook(io.BytesIO(xlsx_body.data))
        assert not any("Rina" in str(c.value) for ws in wb for row in ws.iter_rows()
                       for c in row), user


@pytest.mark.parametrize("month", ["2026-12", "2026-13", "oktober", "2020-01", ""])
def test_bad_month(village, login, month):
    response = login("kapus").get(f"/api/v1/pws/evaluation?month={month}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_report_numbers(village, login):
    data = login("kapus").get(f"/api/v1/pws/evaluation?month={MONTH}").json
    assert data["month"] == MONTH and data["previous_month"] == "2026-09"
    k1 = _k1(data)
    cells = {c["desa"]: c for c in k1["cells"]}
    a, b = cells[f.DESA_A], cells[f.DESA_B]
    assert (a["num_cum"], a["denominator"], a["coverage_cum"], a["coverage_month"],
            a["prev_coverage_month"], a["status"], a["gap_persons"]) == (
        5, 10, 50.0, 30.0, 20.0, "cukup", 4)
    assert (b["coverage_cum"], b["status"], b["gap_persons"]) == (5.0, "cukup", 16)
    assert data["largest_gaps"][0]["desa"] == f.DESA_B     # 16 short before A's K1 4
    gaps = {(g["indicator"], g["desa"]): g["gap_persons"] for g in data["largest_gaps"]}
    assert gaps[("k1", f.DESA_B)] == 16
    bumil = {r["desa"]: r for r in data["denominators"] if r["group"] == "bumil"}
    assert (bumil[f.DESA_A]["value"], bumil[f.DESA_A]["source"]) == (10, "resmi")
    assert "K1" in bumil[f.DESA_A]["indicators"]
    follow = {r["desa"]: r for r in data["followup"]}
    assert follow[f.DESA_A] == {"desa": f.DESA_A, "created": 1, "open": 0, "done": 1,
                                "cancelled": 0, "outcomes": {"datang": 1}}
    [diare] = [w for w in data["morbidity"]["watch"] if w["codes"] == ["A09"]]
    assert diare["cases_by_desa"] == {f.DESA_A: 1, f.DESA_B: 0} and diare["total"] == 1
    assert data["morbidity"]["top"][0]["code"] == "A09"
    counts = {r["desa"]: r for r in data["status_counts"]}
    assert counts[f.DESA_A]["cukup"] >= 1


def test_workbook(village, login):
    response = login("kapus").get(f"/api/v1/pws/evaluation.xlsx?month={MONTH}")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert 'filename="evaluasi-pws-2026-10.xlsx"' in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    clusters = [name for name in wb.sheetnames if name.startswith("Klaster")]
    assert wb.sheetnames == ["Ringkasan", "Kesenjangan terbesar", *clusters, "Sasaran",
                             "Tindak lanjut", "Morbiditas"]
    assert clusters[0] == "Klaster 2" and len(clusters) >= 2

    def table(name):
        ws = wb[name]
        headers = [c.value for c in ws[4]]
        return ws, headers, [dict(zip(headers, row, strict=False))
                             for row in ws.iter_rows(min_row=5, values_only=True)]

    _, headers, rows = table("Klaster 2")
    assert headers[:4] == ["Indikator", "Desa", "Sasaran", "Sumber sasaran"]
    k1_a = next(r for r in rows if r["Indikator"] == "K1" and r["Desa"] == "Cikalong")
    assert (k1_a["Sasaran"], k1_a["Sumber sasaran"], k1_a["Kurang (orang)"],
            k1_a["Status"], k1_a["Arah"]) == (10, "Resmi (Dinkes)", 4, "Cukup", "Naik")
    assert any(r["Indikator"] == "K1" and r["Desa"] == "Puskesmas (jumlah)" for r in rows)
    _, _, rows = table("Sasaran")
    assert {"Kelompok sasaran": "Ibu hamil", "Desa": "Mekarjaya", "Jumlah": 20,
            "Sumber": "Resmi (Dinkes)"}.items() <= next(
        r for r in rows if r["Kelompok sasaran"] == "Ibu hamil" and r["Desa"] == "Mekarjaya"
    ).items()
    _, headers, rows = table("Tindak lanjut")
    assert "Datang" in headers
    cik = next(r for r in rows if r["Desa"] == "Cikalong")
    assert (cik["Dibuat"], cik["Selesai"], cik["Datang"]) == (1, 1, 1)
    _, _, rows = table("Ringkasan")
    assert [r["Desa"] for r in rows] == ["Cikalong", "Mekarjaya"]
    _, _, rows = table("Kesenjangan terbesar")
    shortfalls = [r["Kurang (orang)"] for r in rows]
    assert shortfalls == sorted(shortfalls, reverse=True) and rows[0]["Desa"] == "Mekarjaya"
    assert {"Indikator": "K1", "Desa": "Mekarjaya", "Kurang (orang)": 16, "Status": "Cukup"}.items(
    ) <= next(r for r in rows if r["Indikator"] == "K1" and r["Desa"] == "Mekarjaya").items()
    _, headers, rows = table("Morbiditas")
    assert headers[:4] == ["Jenis", "ICD-10", "Penyakit", "Kasus baru"]
    assert {"Jenis": "Terbanyak", "ICD-10": "A09", "Kasus baru": 1}.items() <= rows[0].items()
    watch = next(r for r in rows if r["Jenis"] == "Pantauan" and r["ICD-10"] == "A09")
    assert (watch["Cikalong"], watch["Mekarjaya"], watch["Kasus baru"]) == (1, 0, 1)
    assert wb["Klaster 2"].freeze_panes == "C5"


def test_the_largest_gaps_show_several_programmes():
    """Skrining jiwa counts every adult, so its gaps dwarf K4's: the list keeps the worst two
    desa of an indicator, then goes on to the next indicator."""
    from backend.pws.evaluation import _largest_gaps  # noqa: PLC0415

    indicators = {"jiwa": {"short": "Jiwa", "label": "Skrining jiwa"},
                  "k4": {"short": "K4", "label": "K4"}}
    names = {d: d.title() for d in ("a", "b", "c")}
    cells = [{"indicator": "jiwa", "desa": d, "gap_persons": gap, "status": "jelek",
              "num_cum": 1, "denominator": 500, "coverage_cum": 1.0, "target_cum": 83.3}
             for d, gap in (("a", 400), ("b", 390), ("c", 380))]
    cells.append({"indicator": "k4", "desa": "a", "gap_persons": 6, "status": "cukup",
                  "num_cum": 2, "denominator": 10, "coverage_cum": 20.0, "target_cum": 79.2})
    listed = [(g["indicator"], g["desa"]) for g in _largest_gaps(cells, indicators, names)]
    assert listed == [("jiwa", "a"), ("jiwa", "b"), ("k4", "a")]
