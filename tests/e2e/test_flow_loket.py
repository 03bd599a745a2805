"""The loket in Chromium (issue 15, registration and queues): the Klaster 1 clerk finds a
person of the village, sees their life stage, what is due and the proposed route in words,
registers the arrival and gets the ticket; the Klaster 3 room's queue shows them with their
priority and calls them. Every screen is checked at a phone's, a tablet's and a desk's width
(no sideways scroll, controls of 44 px, AA contrast) and shows no code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e import flow_setup
from tests.e2e.conftest import ACTION_TIMEOUT_MS, SCREENSHOTS, TABLET, login
from tests.e2e.screens import AUDIT, SETTLED

pytestmark = pytest.mark.slow

WIDTHS = (360, 1280, 1440)
# What a person must never read: a code of the flow or of the routing rule.
CODES = re.compile(r"\b(waiting|called|in_service|skipped|registration|lintas|emergency|"
                   r"usia_dewasa|queue_empty|not_your_point|[a-z]+_[a-z]+)\b")
K3 = "Ruang Klaster 3 (Dewasa dan Lansia)"
NEWCOMER = "Tono Pendatang"


@pytest.fixture
def puskesmas(e2e_app) -> None:
    flow_setup.ready(e2e_app, staff=("loket1", "dokter3"))


def shots(page: Page, name: str) -> None:
    """The screen at each width: saved, audited, and read for codes."""
    folder = SCREENSHOTS / "flow"
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.evaluate(SETTLED, 300)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky bar at the top, not mid-page
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        result = page.evaluate(AUDIT)
        if any(result.values()):
            found[width] = result
    page.set_viewport_size(TABLET)
    assert not found, f"{name}: {found}"
    text = page.locator("main").inner_text()
    assert not CODES.search(text), f"{name}: a code on screen: {CODES.search(text).group(0)}"


def desk_page(browser: Browser, server: str) -> Page:
    context = browser.new_context(base_url=server, viewport=TABLET, locale="id-ID",
                                  timezone_id="Asia/Jakarta", service_workers="allow")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


def register_at_loket(page: Page, elder: dict) -> str:
    """The clerk's part: find, check what the screen proposes, register; the ticket number."""
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Layanan").click()
    points = page.get_by_test_id("flow-points")
    expect(points.get_by_test_id("flow-point")).to_have_count(1)  # Klaster 1: the loket only
    shots(page, "home-loket1")
    points.get_by_role("link", name=re.compile("Loket Pendaftaran")).click()

    page.get_by_label("Cari nama, NIK atau no. KK").fill(elder["name"])
    link = page.locator(f'a[href="#/person/{elder["_id"]}"]')
    row = page.get_by_test_id("search-results").locator("li", has=link)
    expect(row).to_be_visible()
    shots(page, "loket-find")
    row.get_by_role("link", name="Pilih").click()

    expect(page.get_by_role("heading", name=elder["name"])).to_be_visible()
    expect(page.get_by_test_id("loket-stage")).to_contain_text("Tahap hidup: Lanjut usia")
    expect(page.get_by_text("Perlu diberikan")).to_be_visible()
    proposal = page.get_by_test_id("route-proposal")
    expect(proposal).to_contain_text("Klaster 3 (dewasa dan lansia)")
    expect(proposal).to_contain_text("Prioritas: Lansia")
    expect(page.get_by_label("Umum (bayar sendiri)")).to_be_checked()  # no JKN number on record
    expect(page.get_by_label("Pasien baru")).to_be_checked()            # no Puskesmas visit yet
    page.get_by_label("Keluhan utama").fill("Pusing dan tengkuk terasa kaku")
    page.get_by_label("Batuk", exact=True).check()
    expect(proposal).to_contain_text("Klaster 4 (penyakit menular)")    # terduga TBC
    page.get_by_label("Batuk", exact=True).uncheck()
    expect(proposal).to_contain_text("Klaster 3 (dewasa dan lansia)")
    expect(page.get_by_label("Ruang layanan")).to_have_value("k3")
    shots(page, "loket-arrival")

    page.get_by_role("button", name="Daftarkan").click()
    ticket = page.get_by_test_id("ticket")
    expect(ticket.get_by_test_id("ticket-number")).to_have_text(re.compile(r"^C-\d{3}$"))
    expect(ticket.get_by_test_id("ticket-point")).to_have_text(K3)
    number = ticket.get_by_test_id("ticket-number").inner_text()
    expect(page.get_by_test_id("arrivals-today")).to_contain_text(number)
    shots(page, "loket-ticket")
    # Cetak nomor prints the ticket alone (its print style, emulated: no print dialog here).
    page.evaluate("document.body.classList.add('flow-printing')")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("arrivals-today")).to_be_hidden()
    expect(page.get_by_role("button", name="Cetak nomor")).to_be_hidden()
    expect(page.get_by_test_id("ticket-number")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "flow" / "loket-ticket-print.png"))
    page.emulate_media(media="screen")
    page.evaluate("document.body.classList.remove('flow-printing')")
    return number


def register_new_person(page: Page) -> str:
    """A person the Puskesmas has never seen: the person form and back to the loket; the
    arrival waits until the new record has reached the server. The ticket number."""
    page.get_by_test_id("ticket").get_by_role("link", name="Daftarkan warga berikutnya").click()
    page.get_by_role("link", name="Daftar warga baru").click()
    page.get_by_label("Nama lengkap").fill(NEWCOMER)
    page.get_by_label("Laki-laki", exact=True).check()
    page.get_by_label("Tanggal lahir", exact=True).fill("1988-04-12")
    page.get_by_label("Cari keluarga").fill("Santoso")
    page.get_by_label(re.compile("^Budi Santoso")).check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name=NEWCOMER)).to_be_visible()
    expect(page.get_by_test_id("route-proposal")).to_contain_text("Klaster 3 (dewasa dan lansia)")
    page.get_by_label("Keluhan utama").fill("Kontrol tekanan darah")
    page.get_by_role("button", name="Daftarkan").click()
    number = page.get_by_test_id("ticket-number")
    expect(number).to_have_text(re.compile(r"^C-\d{3}$"))
    return number.inner_text()


def call_next(room: Page) -> str:
    """Panggil berikutnya: the first waiting is called; its ticket."""
    first = room.get_by_test_id("queue-waiting").locator("li .flow-ticket").first.inner_text()
    room.get_by_test_id("call-next").click()
    expect(room.get_by_test_id("queue-status")).to_have_text(f"Nomor {first} dipanggil.")
    expect(room.get_by_test_id("queue-current")).to_contain_text(first)
    return first


def call_in_room(room: Page, elder: dict, number: str) -> None:
    """The room's part: the person waits with their priority, is called, then served."""
    room.goto("/#/flow")
    room.get_by_role("link", name=f"Antrean {K3} saja").click()
    waiting = room.get_by_test_id("queue-waiting")
    mine = waiting.locator("li", has_text=number)
    expect(mine).to_contain_text(elder["name"])
    expect(mine).to_contain_text("Prioritas: Lansia")
    shots(room, "queue-waiting")
    first = call_next(room)
    assert first == number, "the lansia goes before the newcomer who came later"
    current = room.get_by_test_id("queue-current")
    shots(room, "queue-called")
    current.get_by_role("button", name="Mulai layani").click()
    expect(current).to_contain_text("Sedang dilayani")
    shots(room, "queue-serving")
    # Alihkan asks where to and why; kept (Batal) so no other test's lab queue sees this person.
    current.get_by_role("button", name="Alihkan").click()
    dialog = room.get_by_role("dialog")
    expect(dialog.get_by_label("Ke tempat layanan")).to_contain_text("Laboratorium")
    shots(room, "queue-transfer")
    dialog.get_by_role("button", name="Batal").click()
    current.get_by_role("button", name="Selesai").click()
    expect(room.get_by_test_id("queue-status")).to_have_text(f"Nomor {first} selesai dilayani.")
    expect(room.get_by_test_id("queue-current")).to_have_count(0)
    # The newcomer leaves: Batalkan, with a reason, confirmed; nothing stays in the queue.
    later = call_next(room)
    room.get_by_test_id("queue-current").get_by_role("button", name="Batalkan").click()
    dialog = room.get_by_role("dialog")
    dialog.get_by_label("Alasan (boleh dikosongkan)").fill("Pulang, kembali besok")
    dialog.get_by_role("button", name="Batalkan antrean").click()
    expect(room.get_by_test_id("queue-status")).to_have_text(f"Antrean nomor {later} dibatalkan.")
    if not room.get_by_test_id("queue-waiting").count():  # an empty queue answers calmly
        room.get_by_test_id("call-next").click()
        expect(room.get_by_test_id("queue-status")).to_contain_text("Belum ada yang menunggu")


def test_loket_registers_a_person_and_the_room_calls_them(page, browser, server, village,
                                                          puskesmas):
    elder = village["persons"][-1]  # a lansia living alone: Klaster 3, priority
    login(page, "loket1")
    number = register_at_loket(page, elder)
    register_new_person(page)
    # Opened again, the loket says the elder is already queued, before any form is filled.
    page.goto(f"/#/flow/loket?person={elder['_id']}")
    expect(page.get_by_test_id("already-queued")).to_contain_text(f"nomor {number} di {K3}")
    # The loket is not the room: the clerk is told so in words.
    page.goto("/#/flow/antrean/k3")
    expect(page.get_by_test_id("flow-refused")).to_have_text(
        "Anda tidak bertugas di tempat layanan ini hari ini.")
    room = desk_page(browser, server)
    try:
        login(room, "dokter3")
        call_in_room(room, elder, number)
    finally:
        room.context.close()
