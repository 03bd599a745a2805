"""The organisation in a real browser: the Kepala Puskesmas places a staff member in Klaster 2
as PJ with competencies, the printable chart shows them under their cluster and prints on A4
landscape, and today's duty names them as able to cover the uncovered room, where the
Kepala Puskesmas then puts them on duty."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.auth.users import create_user, get_user
from backend.db import read_transaction, write_transaction
from backend.flow import organisation
from backend.flow.tables import flow_staff_assignments
from tests import factories
from tests.e2e.conftest import SCREENSHOTS, login, shot

pytestmark = pytest.mark.slow

WIDTHS = {"360": 360, "1280": 1280, "1440": 1440}
BIDAN = "Euis Komalasari, A.Md.Keb."
ROOM = {"id": "ruang-bersama", "label": "Ruang Bersama Klaster 2 dan 3", "kind": "cluster",
        "clusters": ["2", "3"], "ticket_prefix": "RB"}


def shots_at_widths(page: Page, name: str) -> None:
    (SCREENSHOTS / "flow").mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"flow/{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def staff(e2e_app):
    """A midwife not yet placed, and a shared room of Klaster 2 and 3 (ids of this test only,
    so other flow tests on the session's server keep theirs)."""
    with e2e_app.app_context(), write_transaction() as conn:
        if get_user(conn, username="org.bidan") is None:
            create_user(conn, username="org.bidan", password=factories.PASSWORD, role="klaster",
                        display_name=BIDAN, cluster="2",
                        scopes=[factories.DESA_A, factories.DESA_B])
        if not any(p["id"] == ROOM["id"] for p in organisation.service_points(conn)):
            organisation.create_point(conn, None, ROOM)
    return "org.bidan"


def test_kapus_places_a_midwife_and_prints_the_chart(page, e2e_app, staff):
    (SCREENSHOTS / "flow").mkdir(parents=True, exist_ok=True)
    login(page, "kapus")
    page.goto("/#/flow/organisasi")
    unplaced = page.get_by_test_id("org-unplaced")
    expect(unplaced).to_contain_text(BIDAN)
    page.get_by_test_id(f"edit-{staff}").click()
    form = page.get_by_test_id(f"staff-form-{staff}")
    form.get_by_role("combobox", name="Klaster").select_option(label="Klaster 2 Ibu dan Anak")
    form.get_by_role("radio", name="PJ").check()
    for skill in ("ANC ibu hamil", "Imunisasi", "Pengobatan umum"):
        form.get_by_label(skill, exact=True).check()
    form.scroll_into_view_if_needed()
    form.screenshot(path=str(SCREENSHOTS / "flow" / "organisasi-form-1280.png"))
    form.get_by_role("button", name="Simpan").click()

    cluster = page.locator('.org-cluster[data-cluster="2"]')
    placed = cluster.locator(f'li[data-username="{staff}"]')
    expect(placed).to_contain_text(BIDAN)
    expect(placed).to_contain_text("PJ")
    expect(placed).to_contain_text("ANC ibu hamil, Imunisasi, Pengobatan umum")
    expect(page.locator('[data-point="ruang-bersama"]')).to_contain_text("Klaster 2 Ibu dan Anak")
    with e2e_app.app_context(), read_transaction() as conn:
        row = conn.execute(sa.select(flow_staff_assignments)
                           .where(flow_staff_assignments.c.username == staff)).one()
    assert (row.cluster, row.position) == ("2", "pj")
    shots_at_widths(page, "organisasi")

    page.get_by_role("link", name="Cetak struktur organisasi").click()
    chart_prints_on_one_a4_landscape_sheet(page)
    duty_names_who_can_cover(page)


def chart_prints_on_one_a4_landscape_sheet(page: Page) -> None:
    chart = page.get_by_test_id("flow-organisation-chart")
    expect(chart.locator(".org-top")).to_contain_text("Kepala Puskesmas")
    column = chart.locator('.org-column[data-cluster="2"]')
    expect(column.locator(".org-box.pj")).to_contain_text(BIDAN)
    expect(chart.locator(".org-column")).to_have_count(5)
    shots_at_widths(page, "organisasi-cetak")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(chart.get_by_role("button", name="Cetak")).to_be_hidden()
    shot(page, "flow/organisasi-cetak-print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    width, height = float(box.group(1)), float(box.group(2))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # the chart fits one sheet


def duty_names_who_can_cover(page: Page) -> None:
    """The shared room is uncovered, the midwife can cover it; the kapus puts her on duty."""
    page.goto("/#/flow/tugas")
    room = page.locator('[data-point="ruang-bersama"]')
    expect(room).to_contain_text("Belum ada petugas")
    expect(page.get_by_test_id("can-cover-ruang-bersama")).to_contain_text(BIDAN)
    shots_at_widths(page, "tugas")
    page.get_by_test_id("duty-edit-ruang-bersama").click()
    duty = page.get_by_test_id("duty-form-ruang-bersama")
    duty.get_by_role("checkbox", name=re.compile(re.escape(BIDAN))).check()
    duty.get_by_role("button", name="Simpan").click()
    expect(room).to_contain_text("Ada petugas")
    expect(room.locator(".duty-staff")).to_contain_text(BIDAN)
