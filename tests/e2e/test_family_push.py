"""A family subscribes by QR, end to end in Chromium (docs/push.md, "Family subscription and
consent").

A bidan's tablet (pustu_a, 1280 px) shows a household's QR code with no signal: the token is
drawn in the page, only its hash goes into the `subscription_invite` document, which the
outbox sends once the tablet is back online. A phone (a new browser context, 360 px) opens the
QR's link, reads what it will receive, consents with a name, subscribes, sees the household's
upcoming reminders by first name and date, and stops them ("Berhenti"); the tablet then shows
who consented and that the family stopped.

What is real: the tablet app, its PouchDB and sync, the offline QR and invite, the family page,
its own service worker registered at /keluarga/, the server's token check, the consent and used
invite through the write path, the subscription's check (subscriptions.check), the family key,
B's upcoming() and the revocation.

What is substituted, and why: headless Chromium here cannot subscribe at a real push service.
In an incognito context (`browser.new_context`) `pushManager.subscribe` rejects at once
("Registration failed - permission denied": Chrome has no Push API in incognito,
crbug.com/41124656); in a persistent profile it never settles (waited 30 s: there is no
internet, so no Firebase Cloud Messaging registration). So the phone's
`PushManager.prototype.subscribe` is replaced (add_init_script) by one that records the
applicationServerKey the page passed (it must be the server's VAPID key from
/api/v1/push/vapid-key) and returns the subscription of the tests' local push service
(tests/push/receiver.py): an https endpoint on 127.0.0.1 with real P-256 keys, which the
server accepts because this test sets PUSH_ALLOW_PRIVATE_ENDPOINTS as the receiver requires.
Everything from the page's `subscription.toJSON()` on is real. The QR image itself is not
decoded (no QR decoder on this machine, and Chromium's BarcodeDetector is absent on Linux): the
test reads the link from the element that drew it (`data-link`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import subscription_consents, subscription_invites
from backend.push.tables import push_subscriptions
from backend.sync.tables import documents
from tests.e2e.conftest import ACTION_TIMEOUT_MS, SYNC_TIMEOUT_MS, login
from tests.push.receiver import PushReceiver

SHOTS = Path("/tmp/shots/family")
PHONE = {"width": 360, "height": 740}

# The phone's push service: the local receiver's subscription instead of FCM (see above).
FAKE_PUSH = """
(() => {
  const sub = %s;
  let current = null;
  window.__pushKeys = [];
  const make = () => ({
    endpoint: sub.endpoint, expirationTime: null,
    toJSON: () => sub,
    unsubscribe: async () => { current = null; return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    const bytes = new Uint8Array(options.applicationServerKey);
    window.__pushKeys.push(btoa(String.fromCharCode(...bytes))
      .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''));
    current = make();
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


@pytest.fixture
def phone(browser, server, receiver):
    """The family's phone: its own browser context at 360 px, notifications allowed, its push
    service the local receiver (see the module's docstring); (page, subscription, errors)."""
    ctx = browser.new_context(base_url=server, viewport=PHONE, locale="id-ID",
                              timezone_id="Asia/Jakarta", service_workers="allow",
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    ctx.grant_permissions(["notifications"], origin=server)
    sub = receiver.subscription()
    ctx.add_init_script(FAKE_PUSH % json.dumps(sub))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if "i18n" in msg.text else None)
    yield page, sub, errors
    ctx.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def rows(app, table, **where):
    with app.app_context(), read_transaction() as conn:
        stmt = sa.select(table)
        for column, value in where.items():
            stmt = stmt.where(table.c[column] == value)
        return conn.execute(stmt).all()


def wait_for(page: Page, check, what: str, timeout_ms: int = SYNC_TIMEOUT_MS) -> None:
    for _ in range(timeout_ms // 250):
        if check():
            return
        page.wait_for_timeout(250)
    pytest.fail(f"waited {timeout_ms / 1000:.0f} s for {what}")


def open_household(page: Page, household_id: str) -> None:
    page.goto("/#/persons")
    page.goto(f"/#/household/{household_id}")
    expect(page.get_by_role("heading", name="Pengingat untuk keluarga")).to_be_visible()


@pytest.fixture
def receiver(e2e_app):
    before = {k: e2e_app.config[k] for k in ("PUSH_ALLOW_PRIVATE_ENDPOINTS", "PUSH_CA_BUNDLE")}
    with PushReceiver(e2e_app.config["VAPID_PUBLIC_KEY"]) as service:
        e2e_app.config.update(service.app_config())
        yield service
    e2e_app.config.update(before)


def tablet_shows_qr_offline(page: Page, context, server: str, household_id: str) -> str:
    """The bidan shows the QR code with no signal; the link it carries."""
    open_household(page, household_id)
    section = page.get_by_test_id("family-reminders")
    expect(section).to_contain_text("Belum menerima")
    shot(page, "tablet-household-1280")
    context.set_offline(True)
    section.get_by_role("button", name="Tampilkan kode QR").click()
    dialog = page.locator("dialog.qr-dialog")
    expect(dialog).to_contain_text("hanya untuk keluarga ini")
    expect(dialog).to_contain_text("kamera HP mereka sendiri")
    expect(dialog).to_contain_text("Berlaku sampai")
    expect(dialog.locator("svg.qr-code path")).to_have_count(1)
    link = dialog.get_by_test_id("family-qr").get_attribute("data-link")
    assert link.startswith(f"{server}/keluarga/#")
    shot(page, "tablet-qr-offline-1280")
    page.set_viewport_size({"width": 1440, "height": 900})
    shot(page, "tablet-qr-offline-1440")
    page.set_viewport_size({"width": 1280, "height": 800})
    dialog.get_by_role("button", name="Tutup").click()
    expect(section.get_by_role("button", name="Cabut")).to_have_count(1)
    return link


def phone_consents(phone: Page, link: str, members: list[dict]) -> None:
    """The family opens the link, reads, consents and subscribes; sees its reminders."""
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Yang akan Anda terima")).to_be_visible()
    assert "#" not in phone.url                  # the token left the address bar
    expect(phone.locator("main")).to_contain_text("nama depan dan tanggal")
    expect(phone.locator("main")).to_contain_text("Paling banyak 2 pengingat sehari")
    shot(phone, "family-consent-360")
    phone.set_viewport_size({"width": 1440, "height": 900})
    shot(phone, "family-consent-1440")
    phone.set_viewport_size(PHONE)
    phone.get_by_role("button", name="Izinkan pengingat").click()
    expect(phone.get_by_role("alert")).to_contain_text("Isi nama dan centang")
    phone.get_by_label("Nama yang menyetujui").fill("Ibu Siti")
    phone.get_by_label("Saya setuju menerima pengingat").check()
    phone.get_by_role("button", name="Izinkan pengingat").click()
    expect(phone.get_by_text("Berhasil. HP ini akan menerima pengingat")).to_be_visible()
    upcoming = phone.get_by_test_id("family-upcoming")
    expect(upcoming.locator("li").first).to_be_visible()
    text = upcoming.inner_text()
    assert any(m["name"].split()[0] in text for m in members), text   # first names …
    assert not any(m["name"].split()[-1] in text for m in members), text  # … never a surname
    expect(phone.locator("main")).to_contain_text("Disetujui oleh Ibu Siti")
    shot(phone, "family-subscribed-360")


def test_family_subscribes_by_qr_shown_offline_then_stops(page, context, server, e2e_app,
                                                          village, phone):
    household_id = village["children"][0]["household"]
    members = [p for p in village["persons"] if p["household"] == household_id]
    login(page, "pustu_a")
    link = tablet_shows_qr_offline(page, context, server, household_id)
    token = link.split("#", 1)[1]
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    assert rows(e2e_app, subscription_invites, token_hash=token_hash) == []   # still offline

    # Back online: the invite reaches the server, holding only the token's hash.
    context.set_offline(False)
    wait_for(page, lambda: rows(e2e_app, subscription_invites, token_hash=token_hash),
             "the invite to sync")
    [invite] = rows(e2e_app, subscription_invites, token_hash=token_hash)
    assert invite.household_id == household_id and invite.created_by == "pustu_a"
    [stored] = rows(e2e_app, documents, id=invite.id)
    assert token not in stored.body

    # The family's phone: its own browser, 360 px.
    phone, sub, errors = phone
    phone_consents(phone, link, members)
    assert phone.evaluate("window.__pushKeys") == [e2e_app.config["VAPID_PUBLIC_KEY"]]
    assert phone.evaluate("navigator.serviceWorker.controller?.scriptURL ?? ''") \
        .endswith("/keluarga/sw.js")
    [consent] = rows(e2e_app, subscription_consents, household_id=household_id)
    assert (consent.given_by, consent.invite_id, consent.revoked_at) == (
        "Ibu Siti", invite.id, None)
    [saved] = rows(e2e_app, push_subscriptions, household_id=household_id)
    assert (saved.endpoint, saved.kind, saved.consent_id) == (
        sub["endpoint"], "family", consent.id)
    assert rows(e2e_app, subscription_invites, id=invite.id)[0].used_at

    # The tablet learns who consented (the consent document replicates) on the page it shows:
    # the section follows the records' change events, no navigation needed.
    section = page.get_by_test_id("family-reminders")

    def tablet_shows(text: str) -> bool:
        return text in section.inner_text()
    wait_for(page, lambda: tablet_shows("Disetujui oleh Ibu Siti"),
             "the consent on the tablet")
    expect(section.get_by_role("button", name="Cabut")).to_have_count(0)  # used invite
    shot(page, "tablet-consent-1280")
    page.set_viewport_size(PHONE)
    shot(page, "tablet-consent-360")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Berhenti on the phone.
    phone.get_by_role("button", name="Berhenti menerima pengingat").click()
    phone.locator("dialog").get_by_role("button", name="Berhenti").click()
    expect(phone.get_by_text("Pengingat sudah dihentikan")).to_be_visible()
    shot(phone, "family-stopped-360")
    assert rows(e2e_app, push_subscriptions, household_id=household_id) == []
    assert rows(e2e_app, subscription_consents, household_id=household_id)[0].revoked_at
    phone.reload()
    expect(phone.locator("main")).to_contain_text("Buka halaman ini dengan memindai")
    wait_for(page, lambda: tablet_shows("Pengingat dihentikan sejak"),
             "the stop on the tablet")
    shot(page, "tablet-stopped-1280")
    assert not errors, errors


def test_family_page_is_its_own_installable_app(profile_context):
    """/keluarga/ has its own manifest (scope and start_url /keluarga/) and its own service
    worker, and installs apart from the staff app at /; the page without a token asks for
    the QR code and works from cache once visited."""
    page = profile_context.pages[0]
    response = page.goto("/keluarga/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith(
        "/keluarga/sw.js")
    cdp = profile_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/keluarga/manifest.webmanifest")
    data = json.loads(manifest["data"])
    assert (data["name"], data["scope"], data["start_url"], data["lang"]) == (
        "Pengingat Siklus", "/keluarga/", "/keluarga/", "id")
    expect(page.locator("main")).to_contain_text("Buka halaman ini dengan memindai kode QR")
    page.get_by_label("Tautan dari kode QR").fill("bukan tautan")
    page.get_by_role("button", name="Lanjut").click()
    expect(page.get_by_role("alert")).to_contain_text("bukan tautan dari kode QR")
    profile_context.set_offline(True)
    page.reload()
    expect(page.locator("main")).to_contain_text("Buka halaman ini dengan memindai kode QR")
    profile_context.set_offline(False)


IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def test_iphone_safari_explains_the_home_screen_and_hands_the_token_over(browser, server,
                                                                         e2e_app, village):
    """On an iPhone in Safari the page explains Bagikan → Tambahkan ke Layar Utama and keeps
    the token in Cache Storage; the Home Screen app (standalone, started at /keluarga/ with no
    fragment) finds it there and asks for consent. Chromium stands in for Safari with an
    iPhone user agent and `navigator.standalone`; that iOS shares Cache Storage between Safari
    and the Home Screen app is Apple's behaviour (docs/push.md), not tested here."""
    from tests.family.conftest import invite_doc, new_token  # noqa: PLC0415
    from tests.family.conftest import write_as as write  # noqa: PLC0415

    household = next(p for p in village["persons"] if p.get("household"))["household"]
    token = new_token()
    with e2e_app.app_context():
        doc = invite_doc({"_id": household, "desa": village["persons"][0]["desa"]}, token)
        assert write("pustu_a", [doc])[0].get("ok")
    ctx = browser.new_context(base_url=server, viewport={"width": 390, "height": 844},
                              user_agent=IPHONE_UA, is_mobile=True, has_touch=True,
                              locale="id-ID", timezone_id="Asia/Jakarta",
                              service_workers="allow")
    try:
        safari = ctx.new_page()
        safari.goto(f"/keluarga/#{token}")
        expect(safari.get_by_role("heading", name="tambahkan ke Layar Utama")).to_be_visible()
        expect(safari.locator("main")).to_contain_text("Tambahkan ke Layar Utama")
        expect(safari.locator("main")).to_contain_text("iOS atau iPadOS 16.4")
        expect(safari.get_by_role("button", name="Izinkan pengingat")).to_have_count(0)
        shot(safari, "family-iphone-safari-390")
        safari.close()
        ctx.add_init_script("Object.defineProperty(Navigator.prototype, 'standalone', "
                            "{ get: () => true })")
        home_screen = ctx.new_page()
        home_screen.goto("/keluarga/")
        expect(home_screen.get_by_role("button", name="Izinkan pengingat")).to_be_visible()
        expect(home_screen.locator("main")).to_contain_text("Yang akan Anda terima")
    finally:
        ctx.close()
