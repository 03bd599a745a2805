"""The waiting-room display (docs/flow.md "Waiting-room display"): screens are the Kepala
Puskesmas's (and admin's), the feed opens with the screen's token only, shows numbers and
rooms and never a name, reaches the screen within a second of a call made from another
connection, and resumes after a blip with exactly the calls missed (Last-Event-ID)."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from backend import clock
from backend.audit.tables import audit_log
from backend.auth.tables import login_failures
from backend.db import read_transaction, write_transaction
from backend.flow import display
from backend.flow.display_probe import FeedListener, call_delay
from backend.flow.tables import flow_arrivals, flow_calls, flow_displays, flow_queue_entries
from tests.live_server import serve

BASE = "/api/v1/flow"
FEED = f"{BASE}/displays/feed"
NAME = "Siti Aminah Binti Kosasih"          # what must never reach a screen
PERSON = "person:0f4b8c1e-siti"
COMPLAINT = "batuk dua minggu, Siti Aminah"
CALL_KEYS = {"id", "service_point", "label", "ticket", "called_at", "recall"}


def make_call(point: str, number: int, *, entry_id: int | None = None, day: str | None = None,
              conn=None) -> tuple[int, int]:
    """A ticket at `point` called (or called again: `entry_id`) as the queue would record it:
    (call id, entry id). Rows written directly until the queue branch's endpoints exist."""
    day = day or clock.today().isoformat()
    now = clock.utc_now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    ticket = f"{point[0].upper()}-{number:03d}"

    def write(c):
        nonlocal entry_id
        if entry_id is None:
            arrival = str(uuid.uuid4())
            c.execute(flow_arrivals.insert().values(
                id=arrival, day=day, person_id=f"{PERSON}-{number}", desa="3204190001",
                complaint=COMPLAINT, payer="jkn", new_patient=False, emergency=False,
                disability=False, symptoms="[]", priority="normal", priority_groups="[]",
                proposed_cluster="3", cluster="3", created_at=now, created_by="loket1"))
            entry_id = c.execute(flow_queue_entries.insert().values(
                arrival_id=arrival, person_id=f"{PERSON}-{number}", service_point_id=point,
                day=day, ticket=ticket, priority_rank=2, queued_at=now, status="called",
                created_at=now, created_by="loket1", called_at=now, call_count=1,
                called_by="dokter3")).inserted_primary_key[0]
        call_id = c.execute(flow_calls.insert().values(
            entry_id=entry_id, service_point_id=point, ticket=ticket, day=day,
            called_at=now)).inserted_primary_key[0]
        return call_id, entry_id

    if conn is not None:
        return write(conn)
    with write_transaction() as c:
        return write(c)


def new_screen(login, points=("k3", "lab"), chime=True, user="kapus") -> dict:
    response = login(user).post(f"{BASE}/displays", json={
        "label": "Ruang tunggu utama", "service_points": list(points), "chime": chime})
    assert response.status_code == 201, response.json
    return response.json


def read_events(response, stop=lambda events: False, limit_s: float = 5.0) -> tuple[str, list]:
    """The raw body read so far and its events [(kind, id, data)], until `stop(events)`."""
    raw, events, buffer = "", [], ""
    deadline = time.monotonic() + limit_s
    for chunk in response.response:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        raw += text
        buffer += text
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines()
                          if not line.startswith(":") and ": " in line)
            if "data" in fields:
                events.append((fields.get("event"), int(fields["id"]) if "id" in fields else None,
                               json.loads(fields["data"])))
        if stop(events) or time.monotonic() > deadline:
            break
    response.close()
    return raw, events


def open_feed(app, token: str, last_id: int | None = None):
    headers = {"X-Display-Token": token}
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    return app.test_client().get(FEED, headers=headers, buffered=False)


def soon(app, seconds: float, action) -> None:
    """`action()` in another thread (its own connection) after `seconds`."""
    def run():
        time.sleep(seconds)
        with app.app_context():
            action()

    threading.Thread(target=run, daemon=True).start()


@pytest.fixture(autouse=True)
def fresh_slots(monkeypatch):
    """This test's own count of open streams: an earlier test's server may still be running
    a stream it abandoned (until that stream's next write or its lifetime)."""
    monkeypatch.setattr(display, "SLOTS", display.StreamSlots())


@pytest.fixture
def short_streams(app, monkeypatch):
    app.config["FLOW_DISPLAY_STREAM_SECONDS"] = 3
    monkeypatch.setattr(display, "REVOKED_CHECK_S", 0.3)


# ------------------------------------------------------------------------------ managing screens

def test_kapus_creates_a_screen_whose_token_is_shown_once_and_stored_hashed(app, flow, login):
    created = new_screen(login, points=("lab", "k3"))
    token = created["token"]
    assert created["url"] == f"/layar/#{token}" and len(token) >= 32
    assert [p["id"] for p in created["service_points"]] == ["k3", "lab"]   # the rooms' order
    assert created["service_points"][0]["label"] == "Ruang Klaster 3 (Dewasa dan Lansia)"
    with read_transaction() as conn:
        row = conn.execute(sa.select(flow_displays)).one()
    assert row.token_hash == display.digest(token) and token not in json.dumps(dict(row._mapping))
    listed = login("admin").get(f"{BASE}/displays")
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json] == [created["id"]]
    assert "token" not in listed.json[0] and "url" not in listed.json[0]
    points = login("kapus").get(f"{BASE}/displays/points").json
    assert points[:3] == [{"id": "loket", "label": "Loket Pendaftaran"},
                          {"id": "k2", "label": "Ruang Klaster 2 (Ibu dan Anak)"},
                          {"id": "k3", "label": "Ruang Klaster 3 (Dewasa dan Lansia)"}]


@pytest.mark.parametrize("user", ["klaster2", "dokter3", "loket1", "kader_a", "pustu_a", "dinkes",
                                  "fktp_a"])
def test_only_kapus_and_admin_manage_screens(app, flow, login, user):
    created = new_screen(login)
    caller = login(user)
    assert caller.get(f"{BASE}/displays").status_code == 403
    assert caller.get(f"{BASE}/displays/points").status_code == 403
    refused = caller.post(f"{BASE}/displays", json={"label": "x", "service_points": ["k3"]})
    assert refused.status_code == 403 and refused.json["code"] == "not_manager"
    deleted = caller.client.delete(f"{BASE}/displays/{created['id']}", headers=caller.headers)
    assert deleted.status_code == 403
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(flow_displays)).scalar() == 1
        assert conn.execute(sa.select(flow_displays.c.revoked_at)).scalar() is None


def test_anonymous_may_not_manage_screens(app, flow, client):
    assert client.get(f"{BASE}/displays").status_code == 401


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"label": "TV", "service_points": ["k3", "gudang"]}, 404, "no_such_point"),
    ({"label": "   ", "service_points": ["k3"]}, 422, "bad_display"),
    ({"label": "TV", "service_points": ["k3", "k3"]}, 422, "bad_display"),
    ({"label": "TV", "service_points": []}, 422, None),
    ({"label": "TV"}, 422, None),
])
def test_a_bad_screen_is_refused_and_nothing_stored(app, flow, login, body, status, code):
    response = login("kapus").post(f"{BASE}/displays", json=body)
    assert response.status_code == status, response.json
    if code:
        assert response.json["code"] == code
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(flow_displays)).scalar() == 0


def test_revoking_a_screen_closes_its_token(app, flow, login, short_streams):
    created = new_screen(login)
    kapus = login("kapus")
    gone = kapus.client.delete(f"{BASE}/displays/{created['id']}", headers=kapus.headers)
    assert gone.status_code == 204
    again = kapus.client.delete(f"{BASE}/displays/{created['id']}", headers=kapus.headers)
    assert again.status_code == 404 and again.json["code"] == "no_such_display"
    assert kapus.get(f"{BASE}/displays").json == []
    with read_transaction() as conn:
        trail = conn.execute(sa.select(audit_log.c.action, audit_log.c.actor, audit_log.c.target_id,
                                       audit_log.c.detail)
                             .where(audit_log.c.target_type == "flow_display")
                             .order_by(audit_log.c.id)).all()
    assert [(a, who, target) for a, who, target, _ in trail] == [
        ("flow.display_create", "kapus", created["id"]),
        ("flow.display_revoke", "kapus", created["id"])]
    assert created["token"] not in json.dumps([list(row) for row in trail])
    refused = open_feed(app, created["token"])
    assert refused.status_code == 404 and refused.json["code"] == "no_such_display"


# ------------------------------------------------------------------------------ the feed's door

@pytest.mark.parametrize("token", [None, "", "short", "x" * 43, "a b c d e f g h i j k l m n"])
def test_the_feed_opens_only_with_a_screen_token(app, flow, login, token):
    new_screen(login)
    headers = {} if token is None else {"X-Display-Token": token}
    response = app.test_client().get(FEED, headers=headers)
    assert response.status_code == 404 and response.json["code"] == "no_such_display"
    assert "dihapus" in response.json["detail"]


def test_a_logged_in_user_without_the_token_sees_no_feed(app, flow, login):
    new_screen(login)
    assert login("kapus").get(FEED).status_code == 404


def test_wrong_tokens_are_throttled_per_address(app, flow, login):
    created = new_screen(login)
    app.config["LOGIN_ADDRESS_LIMIT"] = 3
    client = app.test_client()
    for _ in range(3):
        assert client.get(FEED, headers={"X-Display-Token": "y" * 32}).status_code == 404
    locked = client.get(FEED, headers={"X-Display-Token": created["token"]})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    with read_transaction() as conn:
        keys = conn.execute(sa.select(login_failures.c.key)).scalars().all()
    assert keys == ["display:127.0.0.1"] * 3


def test_a_valid_screen_writes_nothing_when_it_connects(app, flow, login, short_streams):
    created = new_screen(login)
    _, events = read_events(open_feed(app, created["token"]), stop=lambda e: len(e) >= 1)
    assert events[0][0] == "state"
    with read_transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(login_failures)).scalar() == 0


# ------------------------------------------------------------------------------ what it shows

def test_the_feed_shows_numbers_and_rooms_never_a_name(app, flow, login, short_streams):
    created = new_screen(login, points=("k3", "lab"))
    first, _ = make_call("k3", 1)
    make_call("k4", 2)                                  # not this screen's room
    _, lab_entry = make_call("lab", 3)
    response = open_feed(app, created["token"])
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"

    def later():
        make_call("lab", 3, entry_id=lab_entry)         # the lab calls L-003 again: a recall
        make_call("k4", 4)

    soon(app, 0.4, later)
    raw, events = read_events(response, stop=lambda e: any(k == "call" for k, _, _ in e))
    assert raw.startswith(f"retry: {display.RETRY_MS}\n\n")
    kind, last_id, state = events[0]
    assert kind == "state"
    assert state["display"] == {"label": "Ruang tunggu utama", "chime": True}
    assert [(p["id"], p["current"]["ticket"]) for p in state["points"]] == [("k3", "K-001"),
                                                                           ("lab", "L-003")]
    assert [c["ticket"] for c in state["recent"]] == ["L-003", "K-001"]
    assert state["recent"][1]["id"] == first and last_id == state["last_id"]
    kind, call_id, call = events[1]
    assert kind == "call" and call["ticket"] == "L-003" and call["recall"] is True
    assert call_id == call["id"] and set(call) == CALL_KEYS
    assert call["label"] == "Laboratorium"
    for secret in (NAME, PERSON, COMPLAINT, "Siti", "dokter3", "loket1", "K-002", "K-004"):
        assert secret not in raw
    for _, _, data in events:
        for item in [data] + data.get("recent", []) + [p["current"] for p in data.get("points", [])
                                                       if p.get("current")]:
            assert not {"person", "person_id", "name", "nik"} & set(item)


def test_a_call_from_another_connection_reaches_the_screen_within_a_second(app, flow, login,
                                                                          short_streams):
    created = new_screen(login, points=("k3",))
    response = open_feed(app, created["token"])
    made = {}

    def call_later():
        with write_transaction() as conn:   # another connection, no in-process wake-up
            made["id"], _ = make_call("k3", 7, conn=conn)
        made["at"] = time.monotonic()

    soon(app, 0.5, call_later)
    _, events = read_events(response, stop=lambda e: any(k == "call" for k, _, _ in e))
    seen_at = time.monotonic()
    calls = [data for kind, _, data in events if kind == "call"]
    assert [c["id"] for c in calls] == [made["id"]]
    assert seen_at - made["at"] < 1.0


def test_last_event_id_resumes_with_exactly_the_calls_missed(app, flow, login, short_streams):
    created = new_screen(login, points=("k3", "lab"))
    seen, _ = make_call("k3", 1)
    missed = [make_call("lab", 2)[0], make_call("k4", 3)[0], make_call("k3", 4)[0]]
    response = open_feed(app, created["token"], last_id=seen)
    _, events = read_events(response, stop=lambda e: len(e) >= 2, limit_s=1.5)
    assert [(k, i) for k, i, _ in events] == [("call", missed[0]), ("call", missed[2])]
    assert [d["ticket"] for _, _, d in events] == ["L-002", "K-004"]


def test_a_last_event_id_of_another_day_gets_the_whole_state(app, flow, login, short_streams):
    created = new_screen(login, points=("k3",))
    yesterday, _ = make_call("k3", 1, day="2000-01-01")
    make_call("k3", 2)
    _, events = read_events(open_feed(app, created["token"], last_id=yesterday),
                            stop=lambda e: len(e) >= 1)
    kind, _, state = events[0]
    assert kind == "state" and state["points"][0]["current"]["ticket"] == "K-002"
    assert [c["ticket"] for c in state["recent"]] == ["K-002"]   # today's calls only


def test_a_screen_revoked_while_open_is_told_and_its_stream_ends(app, flow, login, short_streams):
    created = new_screen(login)
    response = open_feed(app, created["token"])
    kapus = login("kapus")

    soon(app, 0.3, lambda: kapus.client.delete(f"{BASE}/displays/{created['id']}",
                                               headers=kapus.headers))
    started = time.monotonic()
    _, events = read_events(response, stop=lambda e: e and e[-1][0] == "removed")
    assert events[-1][0] == "removed" and time.monotonic() - started < 2.5


def test_a_stream_ends_after_its_lifetime(app, flow, login, short_streams):
    app.config["FLOW_DISPLAY_STREAM_SECONDS"] = 0.6
    created = new_screen(login)
    started = time.monotonic()
    read_events(open_feed(app, created["token"]), limit_s=10)
    assert time.monotonic() - started < 2.0


def test_each_process_serves_at_most_its_share_of_screens(app, flow, login, short_streams):
    created = new_screen(login)
    app.config["FLOW_DISPLAY_MAX_STREAMS"] = 1
    first = open_feed(app, created["token"])
    assert first.status_code == 200
    second = open_feed(app, created["token"])
    assert second.status_code == 503 and second.headers["Retry-After"]
    first.close()
    again = open_feed(app, created["token"])
    assert again.status_code == 200
    again.close()
    assert display.SLOTS.open == 0


def test_a_screens_newest_streams_supersede_its_oldest(app, flow, login, short_streams):
    """A TV whose network flaps reconnects before the server sees its old stream is dead: the
    screen's streams in this process stay at PER_SCREEN, the oldest ends at its next poll."""
    app.config["FLOW_DISPLAY_STREAM_SECONDS"] = 7
    created = new_screen(login)
    ended: dict[int, float] = {}

    def watch(n: int, started: threading.Event) -> None:
        with app.app_context():
            response = open_feed(app, created["token"])
            for _ in response.response:
                started.set()
            response.close()
        ended[n] = time.monotonic()

    threads = []
    for n in range(display.PER_SCREEN + 1):
        started = threading.Event()
        threads.append(threading.Thread(target=watch, args=(n, started), daemon=True))
        threads[-1].start()
        assert started.wait(5)
    last_started = time.monotonic()
    for thread in threads:
        thread.join(10)
    assert ended[0] - last_started < 1.5                       # superseded at once
    assert all(ended[n] - last_started > 2 for n in range(1, display.PER_SCREEN + 1))
    assert display.SLOTS.open == 0


def test_the_bench_probe_measures_a_call_over_real_http(app, flow, login):
    """bench/flow.py's measurement: a real HTTP client on the feed of a threaded server; the
    call made through `display.called()` (what the queue does after committing) is seen at once,
    well within the target of a second."""
    app.config["FLOW_DISPLAY_STREAM_SECONDS"] = 5
    created = new_screen(login, points=("k3",))
    with serve(app) as base, FeedListener(base, created["token"]) as screen:
        screen.wait_for(lambda kind, _: kind == "state", since=0)
        delays = []
        for number in (1, 2, 3):
            delays.append(call_delay(screen, lambda n=number: _called(n), point="k3"))
    assert max(delays) < 1.0, delays


def _called(number: int) -> dict:
    make_call("k3", number)
    display.called()
    return {"ticket": f"K-{number:03d}"}


def test_the_layar_page_is_served_without_login_under_the_app_csp(app, client):
    response = client.get("/layar/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'js/layar/main.js' in response.get_data(as_text=True)
