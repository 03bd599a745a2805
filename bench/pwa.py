"""PWA figures: app-shell transfer size (gzip), offline cold start to interactive in headless
Chromium, local search latency over 5,000 persons and the desa's due list. Prints them and writes
bench/results/pwa.json. Run from the project root: `.venv/bin/python bench/pwa.py`.

The village is one desa of 5,000 persons in 1,250 households (tests/factories); the browser
is Debian's Chromium at the 10" tablet size, with the device's PIN unlock (PBKDF2) included in
"unlock to interactive", because a kader pays it at every cold start.
"""

from __future__ import annotations

import gzip
import json
import os
import random
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
from backend.db import write_transaction  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.writes import write_docs  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PIN, TABLET  # noqa: E402

PERSONS = 5000
PER_HOUSEHOLD = 4
SEARCHES = 200
GIVEN = ["Siti", "Dewi", "Rina", "Ayu", "Putri", "Budi", "Agus", "Joko", "Dedi", "Eko", "Asep",
         "Ujang", "Euis", "Neneng", "Cecep", "Iis", "Lilis", "Rudi", "Yusuf", "Wati"]
FAMILY = ["Santoso", "Lestari", "Hidayat", "Rahmawati", "Saputra", "Kurniawan", "Suryani",
          "Permana", "Nugraha", "Wijaya", "Setiawan", "Maulana", "Gunawan", "Pratama", "Sutisna"]


def village(rng: random.Random) -> list[dict]:
    docs = []
    for index in range(PERSONS // PER_HOUSEHOLD):
        kk = f"32041900{index:04d}{rng.randrange(1000, 9999)}"
        household = f.household(f.DESA_A, head_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                                no_kk=kk)
        docs.append(household)
        for member in range(PER_HOUSEHOLD):
            year, month, day = rng.randrange(1950, 2025), rng.randrange(1, 13), rng.randrange(1, 29)
            nik = f"320419{rng.randrange(10**9, 10**10)}" if member < 2 else None
            docs.append(f.person(f.DESA_A, name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                                 sex=rng.choice("LP"), birth_date=f"{year}-{month:02d}-{day:02d}",
                                 household=household["_id"], nik=nik))
    return [{k: v for k, v in doc.items() if v is not None} for doc in docs]


def start_app(workdir: Path):
    os.environ["SIKLUS_INSTANCE_PATH"] = str(workdir / "instance")
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'siklus.db'}",
                      "LONGPOLL_TIMEOUT_MS": 5000})
    with app.app_context():
        upgrade(app.extensions["siklus.engine"])
        started = time.perf_counter()
        with write_transaction() as conn:
            f.build_world(conn)
            results = write_docs(conn, village(random.Random(5)), None)
        assert all(r.get("ok") for r in results)
        print(f"seeded {len(results)} documents in {time.perf_counter() - started:.1f} s")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server


def shell_size(app) -> dict:
    """Bytes of every precached URL, raw and gzip-compressed (level 6, as nginx defaults)."""
    client = app.test_client()
    groups: dict[str, list[int]] = {}
    for url in app.extensions["siklus.pwa"].precache_urls():
        body = client.get(url).get_data()
        group = ("vendor" if "/vendor/" in url else "who tables" if "/data/who/" in url
                 else "clinical config" if url.startswith("/ilp/")
                 else "icons" if url.startswith("/icons/") else "app (ours)")
        raw, packed = groups.setdefault(group, [0, 0, 0])[:2]
        groups[group] = [raw + len(body), packed + len(gzip.compress(body, 6)),
                         groups[group][2] + 1]
    total = [sum(values[i] for values in groups.values()) for i in range(3)]
    return {"groups": groups, "total": total}


def login_and_sync(page) -> float:
    page.goto("/")
    page.get_by_label("Nama pengguna").fill("kader_a")
    page.get_by_label("Kata sandi").fill(f.PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("PIN baru").fill(PIN)
    page.get_by_label("Ulangi PIN").fill(PIN)
    started = time.perf_counter()
    page.get_by_role("button", name="Simpan PIN").click()
    page.wait_for_selector('[data-testid="sync-indicator"][data-phase="idle"]', timeout=300000)
    return time.perf_counter() - started


def cold_start(context) -> dict:
    """A new tab with no network: to the unlock screen, then from the tap on "Buka" to the
    home screen with records loaded and the search index built."""
    page = context.new_page()
    page.goto("/")
    page.get_by_label("PIN").wait_for()
    shown = page.evaluate("() => performance.getEntriesByName('siklus:unlock-shown')[0].startTime")
    page.get_by_label("PIN").fill(PIN)
    tapped = page.evaluate("() => performance.now()")
    page.get_by_role("button", name="Buka", exact=True).click()
    page.wait_for_function("() => performance.getEntriesByName('siklus:ready').length > 0")
    ready = page.evaluate("() => performance.getEntriesByName('siklus:ready')[0].startTime")
    return {"to_unlock_screen_ms": round(shown), "unlock_to_interactive_ms": round(ready - tapped),
            "page": page}


def search_latency(page, rng: random.Random) -> dict:
    queries = [rng.choice(GIVEN)[:rng.randrange(2, 5)].lower() for _ in range(SEARCHES // 2)]
    queries += [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)[:3]}" for _ in range(SEARCHES // 4)]
    queries += [f"320419{rng.randrange(10, 99)}" for _ in range(SEARCHES // 4)]
    times = page.evaluate("""async (queries) => {
        const version = document.documentElement.dataset.version;
        const { app } = await import(`/app/${version}/js/app.js`);
        const times = [];
        for (const query of queries) {
            const started = performance.now();
            app.index.search(query);
            times.push(performance.now() - started);
        }
        return { times, persons: app.records.all('person').length };
    }""", queries)
    ordered = sorted(times["times"])
    return {"persons": times["persons"], "queries": len(ordered),
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2), "max_ms": round(ordered[-1], 2)}


def due_today(page) -> float:
    """Seconds to evaluate today's due list for every person of the desa (#/due)."""
    started = time.perf_counter()
    page.evaluate("() => { location.hash = '#/due'; }")
    page.wait_for_function(f"() => document.body.textContent.includes('{PERSONS} dari {PERSONS}')",
                           timeout=300000)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, server = start_app(Path(tmp))
        base = f"http://127.0.0.1:{server.server_port}"
        size = shell_size(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=base, viewport=TABLET, locale="id-ID")
            first_sync_s = login_and_sync(context.new_page())
            context.set_offline(True)
            cold = cold_start(context)
            page = cold.pop("page")
            search = search_latency(page, random.Random(9))
            due_s = due_today(page)
            browser.close()
        server.shutdown()
    figures = {"shell": size, "first_sync_s": round(first_sync_s, 1), "cold_start": cold,
               "search": search, "due_today_s": round(due_s, 1)}
    print(f"app shell: {size['total'][2]} files, {size['total'][0] / 1024:.0f} KiB raw, "
          f"{size['total'][1] / 1024:.0f} KiB gzip")
    for group, (raw, packed, count) in size["groups"].items():
        print(f"  {group:16} {count:3} files {raw / 1024:7.0f} KiB raw "
              f"{packed / 1024:6.0f} KiB gzip")
    print(f"first sync of {PERSONS} persons + {PERSONS // PER_HOUSEHOLD} households: "
          f"{first_sync_s:.1f} s")
    print(f"offline cold start to unlock screen: {cold['to_unlock_screen_ms']} ms; "
          f"unlock (PBKDF2) to interactive: {cold['unlock_to_interactive_ms']} ms")
    print(f"search over {search['persons']} persons, {search['queries']} queries: "
          f"median {search['median_ms']} ms, p95 {search['p95_ms']} ms, max {search['max_ms']} ms")
    print(f"due today for {PERSONS} persons (clinical evaluator, in slices): {due_s:.1f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pwa.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
