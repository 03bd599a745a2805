"""The monthly evaluation and the kohort in Chromium against the real server: the kapus opens
the evaluasi bulanan and a kohort at a desk (1440 and 1280 px), downloads the XLSX, and prints
both to PDF (headless Chromium's page.pdf honouring the print CSS): A4 landscape, several pages,
no navigation on paper. Screenshots on screen and in print media are saved to look at."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, TABLET, login
from tests.e2e.screens import audit
from tests.e2e.test_loop import device
from tests.e2e.test_pws import local_month

pytestmark = pytest.mark.slow

DESK = {"width": 1440, "height": 900}
A4_LANDSCAPE = (841.89, 595.28)       # points; the PDF MediaBox of an A4 landscape page
STATUS_WORD = re.compile(r"Baik|Kurang|Cukup|Jelek|Tanpa sasaran")
LEAKS = re.compile(r"undefined|NaN|\bnull\b|pws:|person:|task:|Invalid Date")


def go(page: Page, hash_: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_)


def no_leaks(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not LEAKS.search(text), LEAKS.search(text)


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF Chromium wrote (its page objects are
    plain dictionaries: /Type /Page … /MediaBox [0 0 w h])."""
    pages = []
    for match in re.finditer(rb"/Type\s*/Page\b(?!s)", data):
        window = data[max(0, match.start() - 600):match.end() + 600]
        box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", window)
        assert box, "a page without its MediaBox"
        pages.append((float(box[1]), float(box[2])))
    return pages


def print_pdf(page: Page, name: str) -> list[tuple[float, float]]:
    screen = page.viewport_size
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})      # A4 landscape at 96 dpi
    page.screenshot(path=str(SCREENSHOTS / f"{name}-print.png"), full_page=True)
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(data)
    page.emulate_media(media="screen")
    page.set_viewport_size(screen)
    pages = pdf_pages(data)
    assert pages, "no page in the PDF"
    for width, height in pages:
        assert abs(width - A4_LANDSCAPE[0]) < 2 and abs(height - A4_LANDSCAPE[1]) < 2, pages
    return pages


@pytest.fixture(params=[1440, 1280], ids=lambda width: f"{width}px")
def desk(request, browser, server):
    viewport = DESK if request.param == 1440 else TABLET
    context, page = device(browser, server, viewport, phone=False)
    page.width = request.param
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield page
    context.close()


def test_kapus_prints_the_monthly_evaluation(desk, village):
    width = desk.width
    login(desk, "kapus")
    go(desk, "#/pws/report")
    report = desk.get_by_test_id("pws-report")
    expect(report).to_be_visible()
    # The last complete month by default, said in the title; no "running month" warning.
    expect(desk.get_by_label("Bulan", exact=True)).to_have_value(local_month(desk, -1))
    expect(desk.get_by_test_id("pws-running-month")).to_have_count(0)
    summary = desk.get_by_test_id("report-summary")
    for name in ("Cikalong", "Mekarjaya"):
        expect(summary).to_contain_text(name)
    cluster = desk.get_by_test_id("report-cluster-2")
    expect(cluster).to_contain_text("K1")
    for cell in cluster.locator("td[data-status]").all()[:8]:
        expect(cell).to_contain_text(STATUS_WORD)     # colour never alone
    expect(desk.get_by_test_id("report-desa")).to_have_count(2)
    expect(desk.get_by_test_id("report-denominators")).to_contain_text(
        re.compile("sasaran resmi|perkiraan sasaran|warga terdaftar"))
    expect(desk.get_by_test_id("report-followup")).to_contain_text("Cikalong")
    no_leaks(desk)
    audit(desk, f"pws-report-{width}")

    with desk.expect_download() as download:
        desk.get_by_test_id("report-xlsx").click()
    assert re.fullmatch(r"evaluasi-pws-\d{4}-\d\d\.xlsx", download.value.suggested_filename)
    wb = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"Ringkasan", "Klaster 2", "Sasaran", "Tindak lanjut", "Morbiditas"} <= set(
        wb.sheetnames)

    pages = print_pdf(desk, f"pws-report-{width}")
    assert len(pages) >= 3          # summary and clusters, a page per desa, sasaran
    # On paper: no app navigation, the report itself.
    desk.emulate_media(media="print")
    expect(desk.locator("nav.mainnav")).to_be_hidden()
    expect(desk.locator("header.topbar")).to_be_hidden()
    expect(desk.get_by_test_id("report-print")).to_be_hidden()
    expect(desk.get_by_test_id("report-desa").first).to_have_css("break-before", "page")
    desk.emulate_media(media="screen")

    # The running month, when picked, is said to be incomplete, on screen and on paper.
    go(desk, f"#/pws/report?month={local_month(desk)}")
    running = desk.get_by_test_id("pws-running-month")
    expect(running).to_have_text(re.compile("^Bulan berjalan: angka belum lengkap"))
    desk.emulate_media(media="print")
    expect(running).to_be_visible()
    desk.emulate_media(media="screen")
    audit(desk, f"pws-report-running-{width}")


def test_kapus_prints_a_kohort(desk, village):
    width = desk.width
    login(desk, "kapus")
    go(desk, "#/pws/report")
    desk.get_by_role("link", name="Buka kohort ibu dan kohort bayi/balita").click()
    kohort = desk.get_by_test_id("kohort")
    expect(kohort).to_be_visible()
    expect(desk.get_by_label("Kohort", exact=True)).to_have_value("balita")
    bayi = desk.locator('[data-testid="kohort-table-bayi"][data-part="1"]')
    expect(bayi).to_be_visible()
    expect(bayi.locator("thead tr").first).to_contain_text(
        re.compile(r"Penimbangan \d{4} \(kg, N/T/BGM\)"))
    expect(bayi.locator("thead")).to_contain_text("KN1")
    assert bayi.locator("tbody tr").count() >= 1
    # the book's right page: who the line is, then the immunization dates
    right = desk.locator('[data-testid="kohort-table-bayi"][data-part="2"]')
    expect(right.locator("thead")).to_contain_text("Nama anak")
    expect(right.locator("thead")).to_contain_text("BCG")
    expect(right.locator("tbody tr")).to_have_count(bayi.locator("tbody tr").count())
    expect(desk.get_by_test_id("kohort-bayi_luar")).to_be_visible()   # its own page
    no_leaks(desk)
    audit(desk, f"pws-kohort-balita-{width}")

    with desk.expect_download() as download:
        desk.get_by_role("link", name=re.compile("Unduh XLSX desa Cikalong")).click()
    expect(desk.get_by_test_id("report-print")).to_have_count(1)
    assert re.fullmatch(r"kohort-balita-\d+-\d{4}\.xlsx", download.value.suggested_filename)
    wb = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert wb.sheetnames[0] == "Kohort Bayi" and wb["Kohort Bayi"]["A4"].value == "No"

    pages = print_pdf(desk, f"pws-kohort-balita-{width}")
    assert len(pages) >= 4          # bayi, bayi luar wilayah, balita, balita luar wilayah

    # All desa at once: a page break between desa, the Kohort Ibu likewise.
    desk.get_by_label("Kohort", exact=True).select_option("ibu")
    expect(desk.get_by_test_id("kohort-ibu")).to_be_visible()
    desk.get_by_label("Desa").select_option("semua")
    expect(desk.locator(".kohort-desa")).to_have_count(2)
    no_leaks(desk)
    audit(desk, f"pws-kohort-ibu-all-{width}")
    desk.emulate_media(media="print")
    expect(desk.locator(".kohort-desa").nth(1)).to_have_css("break-before", "page")
    desk.emulate_media(media="screen")
    assert len(print_pdf(desk, f"pws-kohort-ibu-all-{width}")) >= 4
