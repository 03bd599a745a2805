"""The waiting-room display in Chromium against the real server: the Kepala Puskesmas creates a
screen and sees its link once; a TV (no login) opening the link shows a ticket within a second
of a call-next made through the API; after the server is unreachable for a while it says
"Menyambung ulang…", then reconnects by itself and shows the call it missed; a removed screen
says so. Also the day report's page. Screenshots at 1280, 1440 and the TV's 1920x1080 go to
test-artifacts/screenshots/flow/."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from backend import clock
from tests.e2e import flow_setup
from tests.e2e.conftest import SCREENSHOTS, login
from tests.e2e.screens import audit

TV = {"width": 1920, "height": 1080}
SIZES = {"1280": {"width": 1280, "height": 800}, "1440": {"width": 1440, "height": 900}}
FEED = "**/api/v1/flow/displays/feed"


class Desk:
    """The Kepala Puskesmas's API session (he may act at every point): registers someone of
    the village for a room and presses "Panggil berikutnya" there, as a desk does."""

    def __init__(self, app, village: dict) -> None:
        self.client = app.test_client()
        me = self.client.post("/api/v1/auth/login",
                              json={"username": "kapus", "password": "rahasia-123"}).json
        self.headers = {"X-CSRF-Token": me["csrf_token"]}
        self.people = iter(village["persons"])

    def call(self, point: str) -> str:
        """Register someone for `point`, then call next there."""
        self.register(point)
        return self.call_next(point)

    def register(self, point: str) -> None:
        for person in self.people:
            queued = self.client.post("/api/v1/flow/arrivals", headers=self.headers, json={
                "person": person["_id"], "payer": "jkn", "new_patient": False,
                "service_point": point})
            if queued.status_code == 201:
                break
            assert queued.json["code"] == "already_queued", queued.json   # another test's

    def call_next(self, point: str) -> str:
        """The ticket call-next called at `point` (another test's waiting person may come
        first: whoever is called, the TV must show that ticket)."""
        called = self.client.post(f"/api/v1/flow/queues/{point}/call-next",
                                  headers=self.headers)
        assert called.status_code == 200, called.json
        return called.json["ticket"]


def shots(page: Page, name: str, sizes=SIZES) -> None:
    for width, viewport in sizes.items():
        page.set_viewport_size(viewport)
        audit(page, f"flow/{name}-{width}")


def create_screen(page: Page) -> str:
    """The Kepala Puskesmas makes a screen for Klaster 3 and the lab: its link, shown once."""
    login(page, "kapus")
    page.goto("/#/flow/layar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Layar antrean")
    page.get_by_test_id("flow-display-label").fill("Ruang tunggu utama")
    page.get_by_label("Ruang Klaster 3 (Dewasa dan Lansia)").check()
    page.get_by_label("Laboratorium").check()
    page.get_by_test_id("flow-display-create").click()
    expect(page.get_by_test_id("flow-display-created")).to_contain_text("hanya ditampilkan sekali")
    url = page.get_by_test_id("flow-display-url").inner_text()
    assert "/layar/#" in url
    expect(page.get_by_test_id("flow-display-list")).to_contain_text("Ruang tunggu utama")
    shots(page, "layar-manage")
    return url


def watch(tv: Page) -> tuple[list[str], list[str]]:
    """(errors in the TV's page, URLs it requested)."""
    errors: list[str] = []
    requests: list[str] = []
    tv.on("pageerror", lambda error: errors.append(str(error)))
    tv.on("console", lambda msg: errors.append(msg.text)
          if "i18n" in msg.text or "Content Security Policy" in msg.text else None)
    tv.on("request", lambda request: requests.append(request.url))
    return errors, requests


def calls_within_a_second(tv: Page, desk: Desk, village: dict) -> None:
    desk.register("k3")
    started = time.monotonic()
    ticket = desk.call_next("k3")
    expect(tv.get_by_test_id("layar-ticket-k3")).to_have_text(ticket, timeout=1000)
    assert time.monotonic() - started < 1.0, "from pressing call-next to the TV"
    lab = desk.call("lab")
    expect(tv.get_by_test_id("layar-ticket-lab")).to_have_text(lab, timeout=1000)
    expect(tv.locator(".layar-recent li.newest")).to_contain_text(lab)
    expect(tv.get_by_test_id("layar-announce")).to_contain_text(f"Nomor {lab}")
    expect(tv.get_by_test_id("layar-chime")).to_contain_text("Nyalakan bunyi")
    body = tv.locator("body").inner_text()
    assert "person:" not in body
    assert not [p["name"] for p in village["persons"] if p["name"] in body]
    for width, viewport in {"1920": TV, "1280": {"width": 1280, "height": 720},
                            "1440": {"width": 1440, "height": 900}}.items():
        tv.set_viewport_size(viewport)
        audit(tv, f"flow/layar-tv-{width}")
    tv.set_viewport_size(TV)


def reconnects_after_a_blip(tv: Page, desk: Desk) -> None:
    """The server becomes unreachable: the TV says so quietly, keeps trying, and shows the call
    made meanwhile once it is back (Last-Event-ID)."""
    tv.route(FEED, lambda route: route.abort())
    expect(tv.get_by_test_id("layar-status")).to_have_text("Menyambung ulang…", timeout=10000)
    missed = desk.call("k3")
    tv.screenshot(path=str(SCREENSHOTS / "flow" / "layar-tv-reconnecting-1920.png"))
    tv.unroute(FEED)
    expect(tv.get_by_test_id("layar-ticket-k3")).to_have_text(missed, timeout=20000)
    expect(tv.get_by_test_id("layar-status")).to_be_hidden()
    after = desk.call("k3")
    expect(tv.get_by_test_id("layar-ticket-k3")).to_have_text(after, timeout=1000)


def removed(page: Page, tv: Page) -> None:
    page.set_viewport_size(SIZES["1280"])
    page.get_by_test_id("flow-display-list").locator("tr", has_text="Ruang tunggu utama") \
        .get_by_test_id("flow-display-remove").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus layar").click()
    expect(tv.get_by_test_id("layar-message")).to_contain_text("Layar ini sudah dihapus",
                                                                timeout=10000)
    tv.screenshot(path=str(SCREENSHOTS / "flow" / "layar-tv-removed-1920.png"))


def day_report(page: Page) -> None:
    """Klaster 1's report of today and of the month, printable."""
    page.goto("/#/flow/laporan")
    expect(page.get_by_test_id("flow-report-points")).to_contain_text("Laboratorium")
    expect(page.get_by_test_id("flow-report")).to_contain_text("Laporan layanan")
    shots(page, "laporan")
    page.goto(f"/#/flow/laporan?month={clock.today().isoformat()[:7]}")
    expect(page.get_by_test_id("flow-report-days")).to_be_visible()
    shots(page, "laporan-bulan")
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "flow" / "laporan-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_a_tv_shows_calls_within_a_second_and_reconnects_after_a_blip(page, browser, server,
                                                                      e2e_app, village):
    (SCREENSHOTS / "flow").mkdir(parents=True, exist_ok=True)
    flow_setup.ready(e2e_app, staff=())
    # Short streams: the TV's open stream ends and reconnects every 2 s, so a server that
    # becomes unreachable is noticed within the test (a live TV keeps one for 5 minutes).
    lifetime = e2e_app.config.get("FLOW_DISPLAY_STREAM_SECONDS")
    e2e_app.config["FLOW_DISPLAY_STREAM_SECONDS"] = 2
    tv_context = browser.new_context(base_url=server, viewport=TV, locale="id-ID",
                                     timezone_id="Asia/Jakarta")
    try:
        url = create_screen(page)
        tv = tv_context.new_page()
        errors, requests = watch(tv)
        tv.goto(url)
        expect(tv.get_by_role("heading", level=1)).to_have_text("Ruang tunggu utama")
        expect(tv.get_by_test_id("layar-ticket-k3")).to_be_visible()
        desk = Desk(e2e_app, village)
        calls_within_a_second(tv, desk, village)
        reconnects_after_a_blip(tv, desk)
        token = url.split("#", 1)[1]
        assert not [u for u in requests if token in u], requests   # never in a URL
        removed(page, tv)
        assert not errors, errors
        day_report(page)
    finally:
        if lifetime is None:
            e2e_app.config.pop("FLOW_DISPLAY_STREAM_SECONDS", None)
        else:
            e2e_app.config["FLOW_DISPLAY_STREAM_SECONDS"] = lifetime
        tv_context.close()
