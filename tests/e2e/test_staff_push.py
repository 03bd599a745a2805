"""Staff notifications in real headless Chromium (docs/push.md "Staff notifications").

What is real and what is not, exactly:
* The push event is real: CDP `ServiceWorker.deliverPushMessage` hands the bytes to the app's
  service worker (/sw.js, which imports pwa/static/push-handlers.js) as a push service would,
  and the worker's own handler calls `showNotification`; the test reads the notification back
  with `registration.getNotifications()`.
* The click is not a person's: headless Chromium shows no notification to click and CDP has no
  command to click one. The test dispatches a `NotificationEvent('notificationclick')` carrying
  the REAL notification object (from getNotifications) to the worker's own listener. A
  synthetic event may not call `waitUntil` (the spec throws for untrusted events), so the test
  shadows that one method to keep the promise; and a window may not be focused without a user
  gesture, so focus() is refused — the handler navigates first (needs no gesture) and the page
  really moves to the deep link and renders that screen.
* The browser's push service is not real: this Chromium cannot register with one (in an
  incognito context Push is unsupported; in a profile `subscribe()` hangs without Google's
  push service). The test replaces `PushManager.subscribe/getSubscription` with a subscription
  on the tests' local push service (tests/push/receiver.py), so the server's path is real: the
  subscription check, the outbox, the sender's VAPID JWT and aes128gcm encryption, and the
  receiver decrypting them. What the receiver decrypted is what CDP then delivers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, expect

from backend.db import read_transaction
from backend.push.payload import build
from backend.push.tables import push_subscriptions
from tests.e2e.conftest import login
from tests.e2e.screens import audit

pytestmark = pytest.mark.slow

SHOTS = Path("/tmp/shots/staff")
WIDTHS = {"phone": 360, "desk": 1280, "wide": 1440}

# The browser's side of a subscription, on the local push service (see the module docstring).
FAKE_PUSH_SERVICE = """(() => {
  const sub = %s;
  const forget = async () => { localStorage.removeItem('e2e-push'); return true; };
  const make = () => ({ endpoint: sub.endpoint, expirationTime: null, options: {},
    toJSON: () => sub, unsubscribe: forget });
  PushManager.prototype.subscribe = async function subscribe() {
    localStorage.setItem('e2e-push', '1');
    return make();
  };
  PushManager.prototype.getSubscription = async function getSubscription() {
    return localStorage.getItem('e2e-push') ? make() : null;
  };
})();"""

SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))"""

# The worker's own notificationclick listener, given the real notification (module docstring).
CLICK = """async (tag) => {
  const [notification] = await self.registration.getNotifications({ tag });
  const event = new NotificationEvent('notificationclick', { notification });
  let work = Promise.resolve();
  Object.defineProperty(event, 'waitUntil', { value: (promise) => { work = promise; } });
  self.dispatchEvent(event);
  await work;
  return (await self.registration.getNotifications({ tag })).length;
}"""


def screens(page: Page, name: str) -> None:
    """The screen at a phone's, a desk's and a wide monitor's width: audited (touch targets,
    contrast, no sideways scroll) and saved for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, f"staff-push-{name}-{label}")
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


class Worker:
    """The app's service worker as CDP sees it: its registration id, push delivery, clicks."""

    def __init__(self, context: BrowserContext, page: Page, origin: str):
        self.context, self.origin = context, origin
        self.cdp = context.new_cdp_session(page)
        found: list[dict] = []
        self.cdp.on("ServiceWorker.workerRegistrationUpdated",
                    lambda event: found.extend(event["registrations"]))
        self.cdp.send("ServiceWorker.enable")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        for _ in range(100):
            live = [r for r in found if not r["isDeleted"] and r["scopeURL"] == f"{origin}/"]
            if live:
                self.registration_id = live[-1]["registrationId"]
                break
            page.wait_for_timeout(100)
        else:
            raise AssertionError(f"no service worker registration for {origin}: {found}")

    def push(self, data: str) -> None:
        self.cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": self.origin, "registrationId": self.registration_id, "data": data})

    def click(self, tag: str) -> int:
        """Click the notification with `tag`; how many with that tag are left."""
        [worker] = [w for w in self.context.service_workers if w.url.endswith("/sw.js")]
        return worker.evaluate(CLICK, tag)


def wait_shown(page: Page, tag: str, seconds: float = 20) -> dict:
    """The notification with `tag` once the worker has shown it (polled: a string predicate
    would be evaluated in the page, which the app's CSP forbids)."""
    for _ in range(int(seconds * 10)):
        shown = [n for n in page.evaluate(SHOWN) if n["tag"] == tag]
        if shown:
            return shown[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no notification {tag!r}: {page.evaluate(SHOWN)}")


def test_a_pushed_task_digest_shows_and_its_click_opens_the_task(page, context, server, village):
    context.grant_permissions(["notifications"], origin=server)
    login(page, "pustu_a")
    page.goto("/#/tasks")
    worker = Worker(context, page, server)
    task = village["task"]
    # What backend/reminders/staff_tasks.py queues for one new task (its url), built by the
    # payload module the scheduler uses.
    worker.push(json.dumps(build("1 tugas baru", "Ada 1 tugas tindak lanjut baru untuk Pustu Anda.",
                                 f"/#/task/{task['_id']}", "tugas_baru")))
    shown = wait_shown(page, "tugas_baru")
    assert shown == {"title": "1 tugas baru", "tag": "tugas_baru",
                     "body": "Ada 1 tugas tindak lanjut baru untuk Pustu Anda.",
                     "url": f"{server}/#/task/{task['_id']}"}
    assert worker.click("tugas_baru") == 0   # the click closes it
    expect(page).to_have_url(f"{server}/#/task/{task['_id']}")
    expect(page.get_by_role("heading", name="Tugas tindak lanjut")).to_be_visible()
    expect(page.get_by_text(task["reason"])).to_be_visible()

    # Refused records: the digest leads to Status sinkron.
    worker.push(json.dumps(build("2 catatan ditolak", "Server menolak 2 catatan.", "/#/sync",
                                 "dokumen_ditolak")))
    assert wait_shown(page, "dokumen_ditolak")["url"] == f"{server}/#/sync"
    worker.click("dokumen_ditolak")
    expect(page).to_have_url(f"{server}/#/sync")
    expect(page.get_by_role("heading", name="Status sinkron")).to_be_visible()

    # Not JSON (a push service's probe): still a visible notification, as Chrome demands.
    worker.push("ping")
    assert wait_shown(page, "siklus")["title"] == "Siklus"


@pytest.fixture
def local_push_service(e2e_app, monkeypatch):
    """The tests' push service, trusted by the e2e server and verifying its VAPID key."""
    from tests.push.receiver import PushReceiver  # noqa: PLC0415

    with PushReceiver(e2e_app.config["VAPID_PUBLIC_KEY"]) as service:
        for name, value in service.app_config().items():
            monkeypatch.setitem(e2e_app.config, name, value)
        monkeypatch.setitem(e2e_app.config, "VAPID_SUBJECT", "mailto:admin@pkm-cikalong.example")
        yield service


def devices_of(e2e_app, username: str) -> list[str]:
    with e2e_app.app_context(), read_transaction() as conn:
        return conn.execute(sa.select(push_subscriptions.c.endpoint).where(
            push_subscriptions.c.username == username)).scalars().all()


def test_pengaturan_turns_notifications_on_tests_them_and_turns_them_off(
        page, context, server, e2e_app, local_push_service):
    sub = local_push_service.subscription()
    context.add_init_script(FAKE_PUSH_SERVICE % json.dumps(sub))
    login(page, "pustu_a")
    page.goto("/#/settings")
    section = page.get_by_test_id("push-settings")
    expect(section.get_by_role("heading", name="Notifikasi di perangkat ini")).to_be_visible()
    expect(section.get_by_test_id("push-receives").locator("li")).to_have_text(
        ["Tugas baru", "Catatan ditolak"])
    expect(section.get_by_test_id("push-permission")).to_contain_text("belum diminta")
    expect(section.get_by_test_id("push-device")).to_contain_text("belum aktif")
    section.scroll_into_view_if_needed()
    screens(page, "settings-not-asked")

    context.grant_permissions(["notifications"], origin=server)
    section.get_by_role("button", name="Aktifkan").click()
    expect(section.get_by_test_id("push-device")).to_contain_text("aktif, menerima notifikasi")
    expect(section.get_by_test_id("push-permission")).to_contain_text("diizinkan")
    assert devices_of(e2e_app, "pustu_a") == [sub["endpoint"]]

    section.get_by_role("button", name="Kirim notifikasi uji").click()
    expect(section.get_by_test_id("push-status")).to_contain_text("terkirim ke 1 perangkat")
    screens(page, "settings-on")
    [arrived] = local_push_service.received(sub)   # VAPID verified, body decrypted
    assert arrived.payload["url"] == "/#/settings"

    # What the push service would hand the browser: the very bytes the receiver decrypted.
    page.goto("/#/tasks")
    worker = Worker(context, page, server)
    worker.push(arrived.body.decode())
    assert wait_shown(page, "staff_test")["title"] == "Siklus: notifikasi uji"
    worker.click("staff_test")
    expect(page).to_have_url(f"{server}/#/settings")

    context.set_offline(True)
    expect(section.get_by_test_id("push-offline")).to_contain_text("perlu koneksi internet")
    expect(section.get_by_role("button")).to_have_count(0)
    screens(page, "settings-offline")
    context.set_offline(False)

    section.get_by_role("button", name="Matikan").click()
    expect(section.get_by_test_id("push-device")).to_contain_text("belum aktif")
    assert devices_of(e2e_app, "pustu_a") == []


@pytest.fixture
def outbox_rows(e2e_app):
    """A day's outbox: waiting, sent, failed (its error quoting an endpoint) and a worker whose
    sender ran two minutes ago; removed afterwards (the e2e server is shared)."""
    import datetime as dt  # noqa: PLC0415

    from backend import clock  # noqa: PLC0415
    from backend.db import write_transaction  # noqa: PLC0415
    from backend.push import outbox  # noqa: PLC0415
    from backend.push.tables import push_outbox  # noqa: PLC0415
    from backend.worker import runs  # noqa: PLC0415
    from backend.worker.tables import worker_jobs, worker_leases  # noqa: PLC0415

    now = clock.utc_now()
    later = outbox.iso(now + dt.timedelta(hours=12))

    def row(key, rule, status="queued", **extra):
        return {"key": f"e2e-staff:{key}", "subscription_id": f"e2e-{key}", "kind": "family",
                "rule": rule, "payload": {"title": "x"}, "ttl": 3600, "urgency": "normal",
                "not_before": later if key == "a" else outbox.iso(now), "expires_at": later,
                "created_at": outbox.iso(now - dt.timedelta(hours=3 if key == "a" else 1)),
                **extra}
    with e2e_app.app_context(), write_transaction() as conn:
        outbox.enqueue(conn, [row(k, r) for k, r in (
            ("a", "imunisasi_jatuh_tempo"), ("b", "posyandu_besok"), ("c", "posyandu_besok"),
            ("d", "imunisasi_jatuh_tempo"), ("e", "tugas_baru"), ("f", "kontrol_bulanan"))],
            now=now)
        for key, values in {"c": {"status": "sent"}, "d": {
                "status": "failed", "attempts": 5, "last_error":
                "gave up after 5 tries: 503 Service Unavailable https://fcm.googleapis.com/x/y"},
                "e": {"status": "dropped", "last_error": "410 Gone"},
                "f": {"attempts": 1, "last_error": "429 Too Many Requests"}}.items():
            conn.execute(sa.update(push_outbox).where(push_outbox.c.key == f"e2e-staff:{key}")
                         .values(**values))
        ran = now - dt.timedelta(minutes=2)
        runs.claim(conn, "push", ran, 0, force=True)
        runs.finish(conn, "push", ran, 40, None)
    yield now
    with e2e_app.app_context(), write_transaction() as conn:
        conn.execute(sa.delete(push_outbox).where(push_outbox.c.key.like("e2e-staff:%")))
        conn.execute(sa.delete(worker_jobs))
        conn.execute(sa.delete(worker_leases))


def test_the_notifikasi_screen_reads_the_outbox_and_the_worker_in_words(
        page, e2e_app, outbox_rows):
    from backend.db import write_transaction  # noqa: PLC0415
    from backend.worker import lease  # noqa: PLC0415

    login(page, "kapus")
    page.get_by_role("link", name="Jejak audit").first.click()
    page.get_by_role("link", name="Notifikasi").click()
    expect(page).to_have_url(re.compile(r"#/admin/push$"))
    screen = page.get_by_test_id("admin-push")
    expect(screen.get_by_test_id("push-worker")).to_contain_text("Pengirim tidak berjalan")
    expect(screen.get_by_test_id("push-counts")).to_contain_text("Menunggu: 3")
    expect(screen.get_by_test_id("push-counts")).to_contain_text("Gagal: 1")
    expect(screen.get_by_test_id("push-oldest")).to_contain_text("3 jam yang lalu")
    failures = screen.get_by_test_id("push-failures")
    expect(failures).to_contain_text("Layanan push sedang gagal")
    expect(failures).to_contain_text("Langganan sudah tidak berlaku")
    expect(failures).to_contain_text("diperlambat")
    expect(failures).not_to_contain_text("googleapis.com/x")
    screens(page, "admin-dead-worker")

    with e2e_app.app_context(), write_transaction() as conn:
        lease.acquire(conn, "e2e-worker", outbox_rows, 600)
    page.reload()
    expect(page.get_by_test_id("push-worker")).to_contain_text(
        "Pengirim terakhir berjalan 2 menit yang lalu")
    expect(page.get_by_text("Pengiriman notifikasi")).to_be_visible()
    screens(page, "admin-live-worker")


def test_a_blocked_permission_says_how_to_unblock_and_offers_no_switch(page, context, server):
    cdp = context.new_cdp_session(page)
    target = cdp.send("Target.getTargetInfo")["targetInfo"]
    cdp.send("Browser.setPermission", {
        "permission": {"name": "notifications"}, "setting": "denied", "origin": server,
        "browserContextId": target["browserContextId"]})
    login(page, "kader_a")
    page.goto("/#/settings")
    section = page.get_by_test_id("push-settings")
    expect(section.get_by_test_id("push-permission")).to_contain_text("diblokir")
    expect(section).to_contain_text("ikon gembok")
    expect(section.get_by_test_id("push-receives").locator("li")).to_have_text(
        ["Catatan ditolak"])   # a kader records; tasks are the Pustu's
    expect(section.get_by_role("button")).to_have_count(0)
    screens(page, "settings-blocked")


IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


def test_an_iphone_outside_the_home_screen_is_told_the_home_screen_step(browser, server):
    context = browser.new_context(base_url=server, user_agent=IPHONE, locale="id-ID",
                                  viewport={"width": 390, "height": 844},
                                  timezone_id="Asia/Jakarta")
    try:
        page = context.new_page()
        login(page, "pustu_a")
        page.goto("/#/settings")
        section = page.get_by_test_id("push-settings")
        expect(section.get_by_test_id("push-ios")).to_contain_text("Tambah ke Layar Utama")
        expect(section.get_by_role("button")).to_have_count(0)
        screens(page, "settings-iphone")
    finally:
        context.close()
