"""The waiting-room display (docs/flow.md "Waiting-room display").

A display is a screen (a TV in the waiting room) that shows the ticket numbers being called at
its service points: numbers and room labels only, never a name or a person id. The Kepala
Puskesmas (or an admin) creates it and sees its secret token once, as the URL `/layar/#<token>`;
only the token's SHA-256 is stored (like a family's QR token, backend/push/invites.py), so a
database copy opens no screen. Revoking it ends every stream of it within a poll.

The feed is a Server-Sent Events stream (`text/event-stream`): every call is an event whose
`id:` is `flow_calls.id`, the display's sequence, so a client that reconnects with
`Last-Event-ID` gets exactly the calls it missed. A call made in this process wakes the streams
at once (`called()`); a call made by another gunicorn worker is seen by polling the calls every
POLL_S (an index range read on `ix_flow_calls_day`), so the delay stays well under a second in
both cases. Each stream lives at most `FLOW_DISPLAY_STREAM_SECONDS` and each process serves at
most `FLOW_DISPLAY_MAX_STREAMS` at once, so screens never hold a worker's threads for ever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping

import sqlalchemy as sa

from backend import clock
from backend.auth import throttle
from backend.auth.tables import login_failures
from backend.auth.users import User
from backend.flow.access import MANAGERS
from backend.flow.errors import FlowError
from backend.flow.tables import flow_calls, flow_displays, flow_service_points

TOKEN_BYTES = 24                       # 192 bits, 32 URL-safe characters
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
LABEL_MAX = 80
MAX_POINTS = 20
RECENT = 6                             # the last calls a screen lists under the big numbers
REPLAY_MAX = 100                       # calls replayed to a client that resumes
# On PostgreSQL two desks' calls may commit in another order than their ids: a stream looks
# this many ids back for a call that committed late and sends what it has not sent yet.
LOOKBACK = 20
POLL_S = 0.2                           # how often a stream looks for another process's calls
REVOKED_CHECK_S = 2.0                  # how often a stream checks its screen still exists
HEARTBEAT_S = 15.0                     # a comment line, so proxies and the client see life
RETRY_MS = 1000                        # EventSource's reconnection delay
PER_SCREEN = 4                         # streams of one screen per process (TVs on one link)

UNKNOWN = (404, "Layar ini sudah dihapus atau tidak dikenal. Minta tautan layar yang baru "
                "kepada Kepala Puskesmas.", "no_such_display")

_called = threading.Condition()


def called() -> None:
    """Call after a transaction that inserted into flow_calls committed: streams in this
    process answer at once instead of at their next poll."""
    with _called:
        _called.notify_all()


def wait_for_call(timeout_s: float) -> None:
    """Sleep until `called()` or `timeout_s` passes."""
    with _called:
        _called.wait(timeout_s)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Screens: create (the token shown once), list, revoke. Kepala Puskesmas and admin only.

def _manager(user: User) -> None:
    if user.role not in MANAGERS:
        raise FlowError(403, "Hanya Kepala Puskesmas atau admin yang mengatur layar antrean.",
                        "not_manager")


def _points(conn: sa.Connection) -> dict[str, sa.Row]:
    rows = conn.execute(sa.select(flow_service_points.c.id, flow_service_points.c.label,
                                  flow_service_points.c.active, flow_service_points.c.sort_order)
                        .order_by(flow_service_points.c.sort_order, flow_service_points.c.id))
    return {row.id: row for row in rows}


def _out(row: Mapping, points: dict[str, sa.Row]) -> dict:
    """A flow_displays row (a mapping) as the API shows it: never its token hash."""
    ids = json.loads(row["service_points"])
    return {"id": row["id"], "label": row["label"], "chime": row["chime"],
            "service_points": [{"id": pid, "label": points[pid].label if pid in points else pid}
                               for pid in ids],
            "created_at": row["created_at"], "created_by": row["created_by"],
            "revoked_at": row["revoked_at"]}


def create(conn: sa.Connection, user: User, label: str, point_ids: list[str], chime: bool,
           now: dt.datetime) -> tuple[dict, str]:
    """A new screen showing `point_ids`, and its token (returned this once, never stored)."""
    _manager(user)
    label = (label or "").strip()
    if not label or len(label) > LABEL_MAX:
        raise FlowError(422, f"Nama layar wajib diisi, paling banyak {LABEL_MAX} huruf.",
                        "bad_display")
    if not point_ids or len(point_ids) > MAX_POINTS or len(set(point_ids)) != len(point_ids):
        raise FlowError(422, f"Pilih 1 sampai {MAX_POINTS} tempat layanan, masing-masing sekali.",
                        "bad_display")
    points = _points(conn)
    unknown = [pid for pid in point_ids if pid not in points or not points[pid].active]
    if unknown:
        raise FlowError(404, "Tempat layanan tidak ditemukan di Puskesmas ini: "
                             + ", ".join(unknown) + ".", "no_such_point")
    ordered = sorted(point_ids, key=lambda pid: (points[pid].sort_order, pid))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = {"id": str(uuid.uuid4()), "label": label, "token_hash": digest(token),
           "service_points": json.dumps(ordered), "chime": bool(chime),
           "created_at": clock.utc_stamp(now), "created_by": user.username, "revoked_at": None}
    conn.execute(flow_displays.insert().values(**row))
    return _out(row, points), token


def choosable_points(conn: sa.Connection, user: User) -> list[dict]:
    """The active service points a new screen may show, in the rooms' order."""
    _manager(user)
    return [{"id": row.id, "label": row.label} for row in _points(conn).values() if row.active]


def list_displays(conn: sa.Connection, user: User) -> list[dict]:
    """The screens not revoked, newest first."""
    _manager(user)
    points = _points(conn)
    rows = conn.execute(sa.select(flow_displays).where(flow_displays.c.revoked_at.is_(None))
                        .order_by(flow_displays.c.created_at.desc(), flow_displays.c.id))
    return [_out(row._mapping, points) for row in rows]


def revoke(conn: sa.Connection, user: User, display_id: str, now: dt.datetime) -> dict:
    """Take a screen away: its token opens nothing any more and its streams end."""
    _manager(user)
    row = conn.execute(sa.select(flow_displays).where(flow_displays.c.id == display_id)).first()
    if row is None or row.revoked_at is not None:
        raise FlowError(404, "Layar tidak ditemukan (mungkin sudah dihapus).", "no_such_display")
    conn.execute(flow_displays.update().where(flow_displays.c.id == display_id,
                                              flow_displays.c.revoked_at.is_(None))
                 .values(revoked_at=clock.utc_stamp(now)))
    return _out(row._mapping, _points(conn))


# ---------------------------------------------------------------------------------------------
# The token: looked up by its hash and compared in constant time; wrong tokens are throttled
# per address (backend/auth/throttle.key_locked_for), so a scanner is slowed down. A valid
# screen writes nothing when it (re)connects.

def _throttle_key(address: str | None) -> str:
    return f"display:{(address or '-')[:64]}"


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def locked_for(conn: sa.Connection, address: str | None, limit: int, window_s: int,
               now: dt.datetime) -> int | None:
    return throttle.key_locked_for(conn, _throttle_key(address), limit, window_s, now)


def count_refusal(conn: sa.Connection, address: str | None, window_s: int,
                  now: dt.datetime) -> None:
    """A wrong or revoked token from `address`: one more failure in its window."""
    conn.execute(login_failures.delete().where(
        login_failures.c.key == _throttle_key(address),
        login_failures.c.at < now - dt.timedelta(seconds=window_s)))
    conn.execute(login_failures.insert().values(key=_throttle_key(address), at=now))


def by_token(conn: sa.Connection, token: object) -> dict | None:
    """The live screen `token` opens, as {id, label, chime, points:[{id, label}]}, or None."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    wanted = digest(token)
    row = conn.execute(sa.select(flow_displays)
                       .where(flow_displays.c.token_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted) or row.revoked_at:
        return None
    shown = _out(row._mapping, _points(conn))
    return {"id": row.id, "label": row.label, "chime": row.chime,
            "points": shown["service_points"]}


def is_live(conn: sa.Connection, display_id: str) -> bool:
    return conn.execute(sa.select(flow_displays.c.id).where(
        flow_displays.c.id == display_id, flow_displays.c.revoked_at.is_(None))).first() is not None


# ---------------------------------------------------------------------------------------------
# What a screen shows: calls (ticket, room, time), never who.

def _call(row, labels: dict[str, str]) -> dict:
    return {"id": row.id, "service_point": row.service_point_id,
            "label": labels.get(row.service_point_id, row.service_point_id),
            "ticket": row.ticket, "called_at": row.called_at, "recall": bool(row.recall)}


def _call_select(point_ids: list[str], day: str) -> sa.Select:
    earlier = flow_calls.alias("earlier")
    recall = sa.exists().where(earlier.c.entry_id == flow_calls.c.entry_id,
                               earlier.c.id < flow_calls.c.id)
    return (sa.select(flow_calls.c.id, flow_calls.c.service_point_id, flow_calls.c.ticket,
                      flow_calls.c.called_at, recall.label("recall"))
            .where(flow_calls.c.day == day, flow_calls.c.service_point_id.in_(point_ids)))


def calls_since(conn: sa.Connection, point_ids: list[str], since_id: int, day: str,
                labels: dict[str, str] | None = None, limit: int = REPLAY_MAX) -> list[dict]:
    """The calls at `point_ids` on `day` after call `since_id`, oldest first (at most `limit`,
    the newest ones when more were missed)."""
    rows = conn.execute(_call_select(point_ids, day).where(flow_calls.c.id > since_id)
                        .order_by(flow_calls.c.id.desc()).limit(limit)).all()
    return [_call(row, labels or {}) for row in reversed(rows)]


def current_tickets(conn: sa.Connection, point_ids: list[str], day: str,
                    labels: dict[str, str] | None = None) -> dict[str, dict]:
    """The ticket each point called last on `day`: {point id: call}."""
    last = (sa.select(sa.func.max(flow_calls.c.id))
            .where(flow_calls.c.day == day, flow_calls.c.service_point_id.in_(point_ids))
            .group_by(flow_calls.c.service_point_id))
    rows = conn.execute(_call_select(point_ids, day).where(flow_calls.c.id.in_(last))).all()
    return {row.service_point_id: _call(row, labels or {}) for row in rows}


def recent_calls(conn: sa.Connection, point_ids: list[str], day: str,
                 labels: dict[str, str] | None = None, n: int = RECENT) -> list[dict]:
    """The last `n` calls at `point_ids` on `day`, newest first."""
    rows = conn.execute(_call_select(point_ids, day).order_by(flow_calls.c.id.desc())
                        .limit(n)).all()
    return [_call(row, labels or {}) for row in rows]


def state(conn: sa.Connection, screen: dict, day: str) -> dict:
    """Everything a screen draws when it (re)starts: its points with their current ticket, the
    recent calls, and `last_id`, the newest call it has seen."""
    ids = [p["id"] for p in screen["points"]]
    labels = {p["id"]: p["label"] for p in screen["points"]}
    current = current_tickets(conn, ids, day, labels)
    recent = recent_calls(conn, ids, day, labels)
    last_id = conn.execute(sa.select(sa.func.max(flow_calls.c.id))).scalar() or 0
    return {"display": {"label": screen["label"], "chime": screen["chime"]}, "day": day,
            "points": [{**p, "current": current.get(p["id"])} for p in screen["points"]],
            "recent": recent, "last_id": last_id}


def last_call_day(conn: sa.Connection, call_id: int) -> str | None:
    return conn.execute(sa.select(flow_calls.c.day).where(flow_calls.c.id == call_id)).scalar()


# ---------------------------------------------------------------------------------------------
# The stream.

def event(kind: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def parse_last_id(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 18:
        return None
    return int(value.strip())


class StreamSlots:
    """At most `limit` streams at once in this process, and at most PER_SCREEN of one screen:
    a TV whose network flaps reconnects before the server notices its old stream is dead (a
    write to a vanished peer may succeed for minutes), so a screen's newest streams supersede
    its oldest instead of piling up until their lifetime ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0
        self._screens: dict[str, list[object]] = {}

    def take(self, limit: int) -> bool:
        with self._lock:
            if self.open >= limit:
                return False
            self.open += 1
            return True

    def give(self) -> None:
        with self._lock:
            self.open -= 1

    def join(self, screen_id: str) -> object:
        """A new stream of `screen_id`: its ticket; the screen's oldest beyond PER_SCREEN are
        superseded."""
        ticket = object()
        with self._lock:
            streams = self._screens.setdefault(screen_id, [])
            streams.append(ticket)
            del streams[:-PER_SCREEN]
        return ticket

    def current(self, screen_id: str, ticket: object) -> bool:
        with self._lock:
            return ticket in self._screens.get(screen_id, ())

    def leave(self, screen_id: str, ticket: object) -> None:
        with self._lock:
            streams = self._screens.get(screen_id, [])
            if ticket in streams:
                streams.remove(ticket)
            if not streams:
                self._screens.pop(screen_id, None)


SLOTS = StreamSlots()


def stream(read: Callable[[Callable[[sa.Connection], object]], object], screen: dict,
           today: Callable[[], str], last_id: int | None, lifetime_s: float,
           poll_s: float = POLL_S, heartbeat_s: float = HEARTBEAT_S) -> Iterator[str]:
    """`_stream`, registered as one of its screen's streams in this process (SLOTS)."""
    ticket = SLOTS.join(screen["id"])
    try:
        yield from _stream(read, screen, today, last_id, lifetime_s, poll_s, heartbeat_s,
                           lambda: SLOTS.current(screen["id"], ticket))
    finally:
        SLOTS.leave(screen["id"], ticket)


def _stream(read: Callable[[Callable[[sa.Connection], object]], object], screen: dict,
            today: Callable[[], str], last_id: int | None, lifetime_s: float,
            poll_s: float, heartbeat_s: float, current: Callable[[], bool]) -> Iterator[str]:
    """The SSE lines of one stream: `retry:`, then either the screen's state (a new client, or
    one whose last call was on another day) or the calls it missed (`Last-Event-ID`), then each
    new call as it is made, until `lifetime_s` passes, the day changes or the screen is revoked
    (`removed`). `read(fn)` runs fn in a short read transaction (no connection is held while
    the stream waits)."""
    ids = [p["id"] for p in screen["points"]]
    labels = {p["id"]: p["label"] for p in screen["points"]}
    day = today()
    start = time.monotonic()
    yield f"retry: {RETRY_MS}\n\n"
    # 0: the client's state held no call at all, so every call of today is one it missed (the
    # first call of the day, made while its stream was reconnecting, came as a state before).
    resumed = last_id is not None and (
        last_id == 0 or read(lambda c: last_call_day(c, last_id)) == day)
    if resumed:
        missed = read(lambda c: calls_since(c, ids, last_id, day, labels))
        for call in missed:
            yield event("call", call, call["id"])
        seen = missed[-1]["id"] if missed else last_id
    else:
        snapshot = read(lambda c: state(c, screen, day))
        seen = snapshot["last_id"]
        yield event("state", snapshot, seen)
    # What the client already has near `seen`, so the look-back does not send it again.
    sent = {call["id"] for call in read(
        lambda c: calls_since(c, ids, max(0, seen - LOOKBACK), day, labels)) if call["id"] <= seen}
    checked = beat = time.monotonic()
    while True:
        now = time.monotonic()
        if now - start >= lifetime_s or not current():
            return                      # its lifetime is over, or newer streams of the screen
        if now - checked >= REVOKED_CHECK_S:
            checked = now
            if not read(lambda c: is_live(c, screen["id"])):
                yield event("removed", {})
                return
            if today() != day:
                return                  # a new day: the client reconnects and gets its state
        wait_for_call(min(poll_s, max(0.0, lifetime_s - (now - start))))
        floor = max(0, seen - LOOKBACK)
        fresh = [call for call in read(lambda c, f=floor: calls_since(c, ids, f, day, labels))
                 if call["id"] not in sent]
        for call in fresh:
            yield event("call", call, call["id"])
            sent.add(call["id"])
            seen = max(seen, call["id"])
        sent = {i for i in sent if i > seen - LOOKBACK}
        if fresh:
            beat = time.monotonic()
        elif time.monotonic() - beat >= heartbeat_s:
            beat = time.monotonic()
            yield ": ping\n\n"
