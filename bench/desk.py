"""Desk mode figures: a Kepala Puskesmas of a 40-desa area opening the app in headless
Chromium, against a Pustu tablet replicating its one desa, in the same process.

The area is 40 desa × 300 persons (75 households of 4, and a visit for every tenth
person): 16,200 documents, enough that replicating them would show, and quick to build
(tests/factories). Every figure is the median of --repeat fresh browser contexts:

* login to interactive: from the tap on "Masuk" (the PIN step skipped with "Pakai kata
  sandi saja") until the home screen is drawn (`siklus:ready`) and the sync indicator
  is settled (desk: "Online", its push replication connected; tablet: first sync done),
  and its parts: sign-in (the server's Argon2 check and the device's PBKDF2 verifier, to
  the PIN question), open (the tap on "Pakai kata sandi saja" to the home screen) and
  settle (home screen to the settled indicator);
* warm reopen: a reload of the unlocked app, navigation start to `siklus:ready`;
* the documents in the browser's PouchDB afterwards.

Run from the project root: `.venv/bin/python bench/desk.py [--repeat 3]`; results are
printed and written to bench/results/desk.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.auth.users import create_user  # noqa: E402
from backend.db import write_transaction  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.writes import write_docs  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, TABLET  # noqa: E402

DESA = 40
PERSONS_PER_DESA = 300
PER_HOUSEHOLD = 4
VISIT_EVERY = 10
GIVEN = ["Siti", "Dewi", "Rina", "Ayu", "Putri", "Budi", "Agus", "Joko", "Dedi", "Eko", "Asep",
         "Ujang", "Euis", "Neneng", "Cecep", "Iis", "Lilis", "Rudi", "Yusuf", "Wati"]
FAMILY = ["Santoso", "Lestari", "Hidayat", "Rahmawati", "Saputra", "Kurniawan", "Suryani",
          "Permana", "Nugraha", "Wijaya", "Setiawan", "Maulana", "Gunawan", "Pratama", "Sutisna"]
CODES = [f"320419{n:04d}" for n in range(1, DESA + 1)]


def one_desa(code: str, rng: random.Random) -> list[dict]:
    docs = []
    for index in range(PERSONS_PER_DESA // PER_HOUSEHOLD):
        household = f.household(code, head_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                                no_kk=f"{code[:6]}{index:06d}{rng.randrange(1000, 9999)}")
        docs.append(household)
        for _ in range(PER_HOUSEHOLD):
            year, month, day = rng.randrange(1950, 2025), rng.randrange(1, 13), rng.randrange(1, 29)
            person = f.person(code, name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                              sex=rng.choice("LP"), birth_date=f"{year}-{month:02d}-{day:02d}",
                              household=household["_id"])
            docs.append(person)
            if len(docs) % VISIT_EVERY == 0:
                docs.append(f.encounter(person, measurements={"weight_kg": 60.0}))
    return docs


def seed(conn) -> int:
    pkm = f.place("puskesmas", "Puskesmas Cikalong", None, code="320419")
    places = [pkm, *(f.place("desa", f"Desa {n + 1:02d}", code, code=code, parent=pkm["_id"])
                     for n, code in enumerate(CODES))]
    rng = random.Random(40)
    docs = [doc for code in CODES for doc in one_desa(code, rng)]
    results = write_docs(conn, places + docs, None)
    assert all(r.get("ok") for r in results)
    create_user(conn, username="kapus", password=f.PASSWORD, role="kapus",
                display_name="Kepala Puskesmas", cluster=None, scopes=CODES)
    create_user(conn, username="bidan", password=f.PASSWORD, role="pustu",
                display_name="Bidan Desa 01", cluster=None, scopes=CODES[:1])
    return len(docs)


def start_app(workdir: Path):
    os.environ["SIKLUS_INSTANCE_PATH"] = str(workdir / "instance")
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'siklus.db'}",
                      "LONGPOLL_TIMEOUT_MS": 5000})
    with app.app_context():
        upgrade(app.extensions["siklus.engine"])
        started = time.perf_counter()
        with write_transaction() as conn:
            count = seed(conn)
        print(f"seeded {count} documents in {DESA} desa in {time.perf_counter() - started:.1f} s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


SETTLED = '[data-testid="sync-indicator"][data-phase="idle"]'
LOCAL_DOCS = """async () => {
    const version = document.documentElement.dataset.version;
    const db = await import(`/app/${version}/js/db.js`);
    return (await db.db().info()).doc_count;
}"""


def without_desk_mode(route) -> None:
    """Serves desk-records.js with no desk roles: the kapus replicates like a tablet (the
    app as it was before desk mode), for the reference the issue measured."""
    body = route.fetch().text()
    patched = re.sub(r"const DESK_ROLES = \[[^\]]*\];", "const DESK_ROLES = [];", body)
    assert patched != body, "desk-records.js no longer declares DESK_ROLES"
    route.fulfill(body=patched, content_type="text/javascript")


def open_app(browser, base: str, username: str, desk: bool = True) -> dict:
    """One fresh device: login to interactive, then a warm reopen."""
    # The reference blocks the service worker: its fetches would bypass the route below.
    context = browser.new_context(base_url=base, viewport=TABLET, locale="id-ID",
                                  timezone_id="Asia/Jakarta",
                                  service_workers="allow" if desk else "block")
    if not desk:
        context.route("**/js/desk-records.js", without_desk_mode)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(f.PASSWORD)
    started = time.perf_counter()
    page.get_by_role("button", name="Masuk").click()
    skip_pin = page.get_by_role("button", name="Pakai kata sandi saja")
    skip_pin.wait_for()
    signed_in = time.perf_counter()
    skip_pin.click()
    page.wait_for_function("() => performance.getEntriesByName('siklus:ready').length > 0",
                           timeout=600000)
    drawn = time.perf_counter()
    page.wait_for_selector(SETTLED, timeout=600000)
    login_s = time.perf_counter() - started
    parts = {"sign_in_s": signed_in - started, "open_s": drawn - signed_in,
             "settle_s": time.perf_counter() - drawn}
    local_docs = page.evaluate(LOCAL_DOCS)
    page.reload()
    page.wait_for_function("() => performance.getEntriesByName('siklus:ready').length > 0")
    reopen_ms = page.evaluate("() => performance.getEntriesByName('siklus:ready')[0].startTime")
    context.close()
    return {"login_s": login_s, "reopen_ms": reopen_ms, "local_docs": local_docs, **parts}


def median_of(runs: list[dict]) -> dict:
    return {"login_to_interactive_s": round(statistics.median(r["login_s"] for r in runs), 2),
            "warm_reopen_ms": round(statistics.median(r["reopen_ms"] for r in runs)),
            "local_docs": max(r["local_docs"] for r in runs),
            **{name: round(statistics.median(r[name] for r in runs), 2)
               for name in ("sign_in_s", "open_s", "settle_s")},
            "runs_login_s": [round(r["login_s"], 2) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--replicating-kapus", action="store_true",
                        help="also time the kapus replicating all 40 desa, once (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_app(Path(tmp))
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            runs = {"kapus_desk": [], "pustu_tablet": []}
            for _ in range(args.repeat):  # interleaved, so a busy spell hits both alike
                runs["kapus_desk"].append(open_app(browser, base, "kapus"))
                runs["pustu_tablet"].append(open_app(browser, base, "bidan"))
            if args.replicating_kapus:
                runs["kapus_replicating"] = [open_app(browser, base, "kapus", desk=False)]
            browser.close()
        server.shutdown()
    figures = {name: median_of(found) for name, found in runs.items()}
    desk, tablet = figures["kapus_desk"], figures["pustu_tablet"]
    figures["area"] = {"desa": DESA, "persons": DESA * PERSONS_PER_DESA}
    figures["ratio_desk_to_tablet_login"] = round(
        desk["login_to_interactive_s"] / tablet["login_to_interactive_s"], 2)
    labels = {"kapus_desk": f"kapus, desk mode, {DESA} desa",
              "pustu_tablet": "pustu tablet, 1 desa (first sync)",
              "kapus_replicating": f"kapus replicating {DESA} desa (no desk mode)"}
    for name, found in figures.items():
        if name not in labels:
            continue
        label = labels[name]
        print(f"{label}: login to interactive {found['login_to_interactive_s']} s (sign-in "
              f"{found['sign_in_s']} s, open {found['open_s']} s, settle {found['settle_s']} s)"
              f", warm reopen {found['warm_reopen_ms']} ms, {found['local_docs']} documents "
              f"on the device")
    print(f"ratio kapus desk / pustu tablet, login: {figures['ratio_desk_to_tablet_login']}")
    if "kapus_replicating" in figures:
        figures["ratio_replicating_to_desk_login"] = round(
            figures["kapus_replicating"]["login_to_interactive_s"]
            / desk["login_to_interactive_s"], 1)
        print("ratio kapus replicating / kapus desk, login: "
              f"{figures['ratio_replicating_to_desk_login']}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "desk.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
