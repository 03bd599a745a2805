"""A simulated Puskesmas day (issue 15, "Speed"): 400 arrivals across 8 service points with
concurrent desks, over the real app on a live HTTP server (werkzeug, threaded, as the e2e
tests run it).

    .venv/bin/python bench/flow.py [--arrivals 400] [--postgresql] [--database-url URL]

Two loket clerks register the arrivals (routed by the clinical rule: children to Klaster 2,
adults to Klaster 3, elders to the Klaster 3 lansia room, terduga TB to Klaster 4,
emergencies to the UGD); nine desks serve them at the same time, each on its own thread and
HTTP session: two desks share the busiest room (Klaster 3) and two the pharmacy, so
"Panggil berikutnya" races for real. A cluster desk sends some people to the lab and gets them
back (a return keeps its place), then to the pharmacy or done. A waiting-room screen reads the
display's SSE feed (backend/flow/display_probe.py) for every point.

Figures: p50/p95/max latency of registration, call-next, transfer and the other steps (start,
done), each over HTTP from the desk's side; the delay from pressing "Panggil berikutnya" to
the screen receiving the call. Targets: p95 < 100 ms per action, display < 1 s. Reference in
the same process: a quiet pass before the day (one arrival at a time, nobody else working),
so the ratio day p95 / quiet p50 says what the concurrency costs.

SQLite by default (a file in a temporary directory); --postgresql uses TEST_DATABASE_URL (or
--database-url) in a schema of its own, dropped afterwards. Prints the figures and appends
them to bench/results/flow.txt. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.auth.users import create_user  # noqa: E402
from backend.db import read_transaction, write_transaction  # noqa: E402
from backend.flow.display_probe import FeedListener  # noqa: E402
from backend.flow.tables import flow_queue_entries, flow_service_points  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.writes import write_docs  # noqa: E402
from tests import factories as f  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "flow.txt"
PASSWORD = "bench-rahasia-123"
# id, label, kind, clusters, prefix: eight rooms of a mid-sized Puskesmas
POINTS = (("loket", "Loket Pendaftaran", "registration", ["1"], "A"),
          ("k2", "Ruang Klaster 2 (Ibu dan Anak)", "cluster", ["2"], "B"),
          ("k3", "Ruang Klaster 3 (Dewasa)", "cluster", ["3"], "C"),
          ("k3-lansia", "Ruang Klaster 3 (Lansia)", "cluster", ["3"], "G"),
          ("k4", "Ruang Klaster 4 (Penyakit Menular)", "cluster", ["4"], "D"),
          ("ugd", "Ruang Gawat Darurat", "emergency", ["lintas"], "E"),
          ("lab", "Laboratorium", "lab", ["lintas"], "L"),
          ("farmasi", "Ruang Farmasi", "pharmacy", ["lintas"], "F"))
CLERKS = ("loket1", "loket2")
# desk username: (cluster, point)
DESKS = {"bidan": ("2", "k2"), "dokter1": ("3", "k3"), "dokter2": ("3", "k3"),
         "dokter3": ("3", "k3-lansia"), "perawat": ("4", "k4"), "dokter_ugd": ("lintas", "ugd"),
         "analis": ("lintas", "lab"), "apoteker1": ("lintas", "farmasi"),
         "apoteker2": ("lintas", "farmasi")}
TB = ["batuk", "keringat_malam", "bb_turun"]
API = "/api/v1/flow"
# The day compressed about a thousandfold: the next person at the loket, an examination, an
# idle desk looking at its queue again.
REGISTER_GAP_S = (0.02, 0.1)
SERVICE_S = (0.02, 0.1)
IDLE_S = 0.25


class Stats:
    """Latencies (ms) per action, appended from every thread."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.calls: list[tuple[float, str, str]] = []   # (monotonic at press, point, ticket)

    def add(self, action: str, started: float) -> None:
        with self.lock:
            self.ms.setdefault(action, []).append((time.perf_counter() - started) * 1000)


class Session:
    """A logged-in staff member over HTTP, timing every request into `stats`."""

    def __init__(self, base: str, username: str, stats: Stats) -> None:
        self.base, self.stats = base, stats
        self.http = requests.Session()
        answer = self.http.post(f"{base}/api/v1/auth/login",
                                json={"username": username, "password": PASSWORD})
        answer.raise_for_status()
        self.http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def post(self, action: str, path: str, body: dict | None = None) -> requests.Response:
        started = time.perf_counter()
        response = self.http.post(f"{self.base}{API}{path}", json=body or {})
        if response.status_code >= 500 or response.status_code in (401, 403, 422):
            raise RuntimeError(f"{path}: {response.status_code} {response.text}")
        self.stats.add(action, started)
        return response


def seed(conn, arrivals: int, rng: random.Random) -> list[dict]:
    pkm = f.place("puskesmas", "Puskesmas Cikalong", None, code="320419")
    desa = [f.place("desa", name, code, code=code, parent=pkm["_id"])
            for code, name in ((f.DESA_A, "Cikalong"), (f.DESA_B, "Mekarjaya"))]
    people = []
    for n in range(arrivals):
        age = rng.choice([3, 9, 15, 24, 31, 38, 45, 52, 58, 66, 71, 80])
        people.append(f.person(rng.choice((f.DESA_A, f.DESA_B)), name=f"Warga {n:03d}",
                               sex=rng.choice("LP"), birth_date=f"{2026 - age}-06-15"))
    results = write_docs(conn, [pkm, *desa, *people], None)
    assert all(r.get("ok") for r in results)
    conn.execute(sa.insert(flow_service_points), [
        {"id": pid, "label": label, "kind": kind, "clusters": json.dumps(clusters),
         "ticket_prefix": prefix, "active": True, "sort_order": order,
         "updated_at": "2026-01-01T00:00:00Z", "updated_by": "admin"}
        for order, (pid, label, kind, clusters, prefix) in enumerate(POINTS)])
    staff = {**{clerk: "1" for clerk in CLERKS}, **{u: c for u, (c, _) in DESKS.items()}}
    for username, cluster in staff.items():
        create_user(conn, username=username, password=PASSWORD, role="klaster",
                    display_name=username, cluster=cluster, scopes=[f.DESA_A, f.DESA_B])
    create_user(conn, username="kapus", password=PASSWORD, role="kapus", display_name="Kapus",
                cluster=None, scopes=[f.DESA_A, f.DESA_B])
    return people


def arrival_body(person: dict, rng: random.Random) -> dict:
    body = {"person": person["_id"], "payer": rng.choice(("jkn", "jkn", "umum")),
            "new_patient": rng.random() < 0.2, "complaint": "kontrol"}
    roll, elder = rng.random(), person["birth_date"] < "1966"
    if roll < 0.03:
        body["emergency"] = True
    elif roll < 0.10:
        body["symptoms"] = TB
    elif elder and roll < 0.6:
        body["service_point"] = "k3-lansia"
    if rng.random() < 0.03:
        body["disability"] = True
    return body


def clerk(base: str, username: str, people: list[dict], stats: Stats, seed_: int) -> None:
    rng, session = random.Random(seed_), Session(base, username, stats)
    for person in people:
        response = session.post("register", "/arrivals", arrival_body(person, rng))
        assert response.status_code == 201, response.text
        time.sleep(rng.uniform(*REGISTER_GAP_S))


def next_step(point: str, entry: dict, rng: random.Random) -> tuple[str, dict]:
    """What the desk does with the person it serves: (step, body)."""
    if point == "lab":
        return "transfer", {"to": entry["previous"]["service_point"], "reason": "hasil lab"}
    if point == "farmasi":
        return "done", {}
    back_from_lab = entry["previous"] and entry["previous"]["service_point"] == "lab"
    if point != "ugd" and not back_from_lab and rng.random() < 0.3:
        return "transfer", {"to": "lab", "reason": "periksa lab"}
    if rng.random() < 0.6:
        return "transfer", {"to": "farmasi", "reason": "resep"}
    return "done", {}


def desk(base: str, username: str, point: str, stats: Stats, stop: threading.Event,
         seed_: int) -> None:
    rng, session = random.Random(seed_), Session(base, username, stats)
    while not stop.is_set():
        pressed = time.monotonic()
        response = session.post("call_next", f"/queues/{point}/call-next")
        if response.status_code == 409:   # nobody waits: look again in a moment
            stop.wait(IDLE_S)
            continue
        entry = response.json()
        with stats.lock:
            stats.calls.append((pressed, point, entry["ticket"]))
        session.post("start", f"/entries/{entry['id']}/start")
        time.sleep(rng.uniform(*SERVICE_S))   # the examination, compressed
        step, body = next_step(point, entry, rng)
        session.post(step, f"/entries/{entry['id']}/{step}", body)


def quiet_pass(base: str, people: list[dict], stats: Stats) -> None:
    """The reference: one arrival at a time through loket, K3, lab and back, nobody else."""
    loket, doctor, lab = (Session(base, name, stats) for name in ("loket1", "dokter1", "analis"))
    for person in people:
        loket.post("register", "/arrivals", {"person": person["_id"], "payer": "jkn",
                                             "new_patient": False, "cluster": "3",
                                             "service_point": "k3"})
        entry = doctor.post("call_next", "/queues/k3/call-next").json()
        doctor.post("start", f"/entries/{entry['id']}/start")
        doctor.post("transfer", f"/entries/{entry['id']}/transfer", {"to": "lab"})
        at_lab = lab.post("call_next", "/queues/lab/call-next").json()
        lab.post("start", f"/entries/{at_lab['id']}/start")
        back = lab.post("transfer", f"/entries/{at_lab['id']}/transfer", {"to": "k3"}).json()
        doctor.post("call_next", "/queues/k3/call-next")
        doctor.post("start", f"/entries/{back['next']['id']}/start")
        doctor.post("done", f"/entries/{back['next']['id']}/done")


def open_entries() -> tuple[int, int]:
    with read_transaction() as conn:
        rows = dict(conn.execute(sa.select(flow_queue_entries.c.status, sa.func.count())
                                 .group_by(flow_queue_entries.c.status)).all())
    return sum(rows.get(s, 0) for s in ("waiting", "called", "in_service")), rows.get("done", 0)


def display_delays(screen: FeedListener, calls: list[tuple[float, str, str]]) -> list[float]:
    """Seconds from each press of "Panggil berikutnya" to the screen receiving that call."""
    seen: dict[tuple[str, str], list[float]] = {}
    for at, kind, _, data in screen.events:
        if kind == "call":
            seen.setdefault((data["service_point"], data["ticket"]), []).append(at)
    delays = []
    for pressed, point, ticket in calls:
        arrived = [at for at in seen.get((point, ticket), []) if at >= pressed]
        delays.append(min(arrived) - pressed if arrived else float("inf"))
    return delays


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


@contextmanager
def database(args) -> str:
    if not args.postgresql:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/siklus.db"
        return
    base = sa.make_url(args.database_url or os.environ["TEST_DATABASE_URL"])
    schema = f"bench_flow_{os.getpid()}"
    with sa.create_engine(base).begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with sa.create_engine(base).begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def serve(url: str, instance: str, ready) -> None:
    """The app on a threaded HTTP server, in a process of its own (the desks' HTTP clients
    and the screen's reader do not share its interpreter lock)."""
    os.environ["SIKLUS_INSTANCE_PATH"] = instance
    app = create_app({"DATABASE_URL": url, "FLOW_DISPLAY_STREAM_SECONDS": 3600})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    ready.send(server.server_port)
    server.serve_forever()


def run(args) -> list[str]:
    rng = random.Random(args.seed)
    with database(args) as url, tempfile.TemporaryDirectory() as instance:
        os.environ["SIKLUS_INSTANCE_PATH"] = instance
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            upgrade(app.extensions["siklus.engine"])
            with write_transaction() as conn:
                people = seed(conn, args.arrivals + args.quiet, rng)
            app.extensions["siklus.engine"].dispose()   # no connection crosses the fork
            context = multiprocessing.get_context("fork")
            ready, port = context.Pipe()
            server = context.Process(target=serve, args=(url, instance, port), daemon=True)
            server.start()
            base = f"http://127.0.0.1:{ready.recv()}"
            try:
                return measure(base, people, args)
            finally:
                server.terminate()
                server.join()
                app.extensions["siklus.engine"].dispose()


def measure(base: str, people: list[dict], args) -> list[str]:
    quiet = Stats()
    quiet_pass(base, people[:args.quiet], quiet)
    kapus = Session(base, "kapus", Stats())
    token = kapus.post("display", "/displays", {
        "label": "Ruang tunggu", "service_points": [p[0] for p in POINTS[1:]]}).json()["token"]
    stats, stop = Stats(), threading.Event()
    day = people[args.quiet:]
    started = time.perf_counter()
    with FeedListener(base, token) as screen:
        desks = [threading.Thread(target=desk, args=(base, name, point, stats, stop, n))
                 for n, (name, (_, point)) in enumerate(DESKS.items())]
        clerks = [threading.Thread(target=clerk, args=(base, name, day[n::2], stats, 100 + n))
                  for n, name in enumerate(CLERKS)]
        for thread in (*desks, *clerks):
            thread.start()
        for thread in clerks:
            thread.join()
        deadline = time.monotonic() + args.timeout
        while open_entries()[0] and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        for thread in desks:
            thread.join()
        time.sleep(1.0)   # the screen's last events
        delays = display_delays(screen, stats.calls)
    seconds = time.perf_counter() - started
    left, done = open_entries()
    return report(args, stats, quiet, delays, seconds, left, done)


def report(args, stats: Stats, quiet: Stats, delays: list[float], seconds: float, left: int,
           done: int) -> list[str]:
    db = "PostgreSQL" if args.postgresql else "SQLite"
    lines = [f"bench/flow.py {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {db}, "
             f"{platform.python_implementation()} {platform.python_version()}, "
             f"{os.cpu_count()} cores",
             f"a day of {args.arrivals} arrivals, 8 service points, {len(CLERKS)} clerks and "
             f"{len(DESKS)} desks at once: {seconds:.1f} s, {done - args.quiet} done, "
             f"{left} left open",
             f"{'action':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
             f"{'quiet p50':>10} {'p95/quiet':>10}  target p95 < 100 ms"]
    for action in ("register", "call_next", "transfer", "start", "done"):
        values = stats.ms.get(action, [])
        if not values:
            continue
        reference = statistics.median(quiet.ms[action]) if action in quiet.ms else None
        p95 = pct(values, 0.95)
        ratio = f"{p95 / reference:10.1f}" if reference else f"{'-':>10}"
        ref = f"{reference:10.1f}" if reference else f"{'-':>10}"
        lines.append(f"{action:<10} {len(values):5d} {statistics.median(values):8.1f} "
                     f"{p95:8.1f} {max(values):8.1f} {ref} {ratio}  "
                     f"{'ok' if p95 < 100 else 'MISSED'}")
    missing = sum(1 for d in delays if d == float("inf"))
    shown = [d * 1000 for d in delays if d != float("inf")]
    if shown:
        lines.append(f"display: {len(shown)} calls on the screen's SSE feed, press to screen "
                     f"p50 {statistics.median(shown):.0f} ms, p95 {pct(shown, 0.95):.0f} ms, "
                     f"max {max(shown):.0f} ms, never shown {missing}  target < 1000 ms: "
                     f"{'ok' if pct(shown, 0.95) < 1000 and not missing else 'MISSED'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arrivals", type=int, default=400)
    parser.add_argument("--quiet", type=int, default=20, help="arrivals of the reference pass")
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--database-url", help="PostgreSQL URL (default TEST_DATABASE_URL)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    lines = run(args)
    print("\n".join(lines))
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
