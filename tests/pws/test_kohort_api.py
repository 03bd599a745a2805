"""Kohort endpoints: the scope matrix over every role, bad input, and the XLSX opened with
openpyxl (sheet names, headers, dates as dates, a known value per sheet)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from backend import clock
from tests import factories as f
from tests.pws.test_kohort import village  # noqa: F401  (the hand-built village fixture)

YEAR = 2026
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# role user → status for desa A's kohort
EXPECTED = {"kapus": 200, "klaster2": 200, "admin": 200, "pustu_a": 200, "pustu_b": 404,
            "dinkes": 403, "fktp_a": 403, "kader_a": 403}


@pytest.fixture(autouse=True)
def late_2026(monkeypatch):
    monkeypatch.setattr(clock, "_utc_source",
                        lambda: dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize("kind", ["ibu", "balita"])
@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_scope_matrix(village, login, kind, suffix):  # noqa: F811
    url = f"/api/v1/pws/kohort/{kind}{suffix}?desa={f.DESA_A}&year={YEAR}"
    got = {user: login(user).get(url).status_code for user in EXPECTED}
    assert got == EXPECTED
    assert login("kapus").client.application.test_client().get(url).status_code == 401


def test_bad_input(village, login):  # noqa: F811
    kapus = login("kapus")
    for url, status in ((f"/api/v1/pws/kohort/ibu?desa=9999999999&year={YEAR}", 404),
                        (f"/api/v1/pws/kohort/ibu?desa={f.DESA_A}&year=2027", 422),
                        (f"/api/v1/pws/kohort/ibu?desa={f.DESA_A}&year=2020", 422),
                        (f"/api/v1/pws/kohort/ibu?desa={f.DESA_A}&year=abc", 422),
                        ("/api/v1/pws/kohort/ibu", 422),
                        (f"/api/v1/pws/kohort/lansia?desa={f.DESA_A}", 404)):
        response = kapus.get(url)
        assert response.status_code == status, url
        assert response.content_type == "application/problem+json", url


def test_pustu_sees_no_outside_child_of_another_desa(village, login):  # noqa: F811
    url = f"/api/v1/pws/kohort/balita?desa={f.DESA_A}&year={YEAR}"
    wide = {s["key"]: s for s in login("kapus").get(url).json["sections"]}
    narrow = {s["key"]: s for s in login("pustu_a").get(url).json["sections"]}
    assert [r["name"] for r in wide["bayi_luar"]["rows"]] == ["Eka Pendatang"]
    assert narrow["bayi_luar"]["rows"] == []
    assert "Eka Pendatang" not in login("pustu_a").get(url.replace("balita?", "balita.xlsx?")) \
        .get_data().decode("latin-1")


def test_kohort_balita_workbook(village, login):  # noqa: F811
    response = login("kapus").get(
        f"/api/v1/pws/kohort/balita.xlsx?desa={f.DESA_A}&year={YEAR}")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert f'filename="kohort-balita-{f.DESA_A}-{YEAR}.xlsx"' in \
        response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Kohort Bayi", "Bayi luar wilayah", "Kohort Anak Balita",
                             "Anak Balita luar wilayah"]
    bayi = wb["Kohort Bayi"]
    assert bayi["A1"].value == f"Kohort Bayi - Desa Cikalong ({f.DESA_A}), tahun {YEAR}"
    headers = [c.value for c in bayi[4]]
    assert headers[:8] == ["No", "NIK", "Nama anak", "L/P", "Tgl lahir", "Nama ibu", "Alamat",
                           "Posyandu"]
    assert bayi.freeze_panes == "D5"                 # headers and No/NIK/name stay in view
    rows = {r[2].value: r for r in bayi.iter_rows(min_row=5)}
    budi = rows["Budi"]
    assert budi[headers.index("Tgl lahir")].value == dt.datetime(2026, 6, 8)
    assert budi[headers.index("Tgl lahir")].number_format == "DD/MM/YYYY"
    assert budi[headers.index("Agu")].value == "3,3 T BGM"
    assert budi[headers.index("KN1")].value == dt.datetime(2026, 6, 9)
    assert rows["Cici"][0].font.color.rgb.endswith("C00000")          # girls in red
    assert "Penimbangan 2026 (kg, N/T/BGM)" in [c.value for c in bayi[3]]
    balita = wb["Kohort Anak Balita"]
    [cici] = list(balita.iter_rows(min_row=5, values_only=True))
    assert cici[2] == "Cici" and cici[[c.value for c in balita[4]].index("Sep")] == "9,2 T"
    luar = wb["Bayi luar wilayah"]
    assert luar["C5"].value == "Eka Pendatang"
    assert wb["Anak Balita luar wilayah"]["C5"].value is None


def test_kohort_ibu_workbook(village, login):  # noqa: F811
    response = login("pustu_a").get(f"/api/v1/pws/kohort/ibu.xlsx?desa={f.DESA_A}&year={YEAR}")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Kohort Ibu", "Ibu luar wilayah"]
    ws = wb["Kohort Ibu"]
    headers = [c.value for c in ws[4]]
    assert ws["C5"].value == "Ani Lestari"
    assert ws.cell(5, headers.index("K4 tercapai") + 1).value == dt.datetime(2026, 4, 1)
    assert ws.cell(5, headers.index("Penolong") + 1).value == "Bidan"
    assert ws.page_setup.orientation == "landscape"
