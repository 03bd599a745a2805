"""Queues per service point (docs/flow.md "Registration (loket) and queues"): tickets, the call
order, and every step of an entry's life.

The model is OpenMRS's queue module: a queue per service point; an entry per person with a
priority, a status and a place (`queued_at`) in it; a transition (a transfer to the lab, the
pharmacy, another cluster) ends one entry and opens the next with `previous_id`, so the chain is
the visit's history. Statuses (backend/flow/vocabulary.py):

    waiting --call_next--> called --start--> in_service --done--> done
                           called --skip--> skipped --recall--> called (recall: called too)
    waiting | called | in_service --transfer--> transferred (+ a new entry elsewhere)
    waiting | called | in_service | skipped --cancel--> cancelled

Every function runs inside the caller's `write_transaction()` and raises FlowError for a step
that cannot be taken; the transaction then rolls back, so nothing changed. None touches
`sync_meta`: queue steps never wait for a replication batch, nor it for them.

Two desks pressing "Panggil berikutnya" at the same instant never get the same person: on
SQLite the write transaction is BEGIN IMMEDIATE (writers take turns); on PostgreSQL the
candidate is taken with SELECT ... FOR UPDATE SKIP LOCKED (the other desk passes over it to the
next person) and the UPDATE is conditional on `status = 'waiting'` (tests/flow/
test_call_next_concurrency.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from backend import clock
from backend.auth.users import User
from backend.flow import access
from backend.flow.entries import CALL_ORDER, A, E
from backend.flow.errors import FlowError
from backend.flow.tables import flow_calls, flow_ticket_counters
from backend.flow.vocabulary import ACTIVE_STATUSES, ENDED_STATUSES, ticket_label

STATUS_WORDS = {"waiting": "menunggu", "called": "sudah dipanggil",
                "in_service": "sedang dilayani", "done": "selesai",
                "skipped": "dilewati (tidak hadir)", "transferred": "dipindahkan",
                "cancelled": "dibatalkan"}

# step: (the statuses it may start from, what the desk calls it)
STEPS = {
    "recall": (("called", "skipped"), "dipanggil ulang"),
    "start": (("called",), "mulai dilayani"),
    "skip": (("called",), "dilewati"),
    "done": (("in_service",), "diselesaikan"),
    "cancel": (("waiting", "called", "in_service", "skipped"), "dibatalkan"),
    "transfer": (ACTIVE_STATUSES, "dipindahkan"),
}
# A person who has not finished today's visit: in a queue, or a no-show who may be recalled.
OPEN_STATUSES = (*ACTIVE_STATUSES, "skipped")
_CALL_RETRIES = 5


def today() -> str:
    return clock.today().isoformat()


def next_ticket(conn: sa.Connection, point: dict, day: str) -> str:
    """The point's next ticket of the day ("B-012"): one atomic upsert of its counter, so two
    desks registering at once get two numbers (the row lock holds the second until the first
    commits, or SQLite's single writer does)."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        flow_ticket_counters)
    number = conn.execute(
        insert.values(day=day, service_point_id=point["id"], last_number=1)
        .on_conflict_do_update(index_elements=["day", "service_point_id"],
                               set_={"last_number": flow_ticket_counters.c.last_number + 1})
        .returning(flow_ticket_counters.c.last_number)).scalar_one()
    return ticket_label(point["ticket_prefix"], number)


def _open_entry(conn: sa.Connection, point_id: str, person_id: str) -> sa.Row | None:
    return conn.execute(sa.select(E.c.ticket, E.c.day).where(
        E.c.service_point_id == point_id, E.c.person_id == person_id,
        E.c.status.in_(ACTIVE_STATUSES))).first()


def already_queued(point: dict, ticket: str) -> FlowError:
    return FlowError(409, f"Orang ini sudah ada di antrean {point['label']} (tiket {ticket}).",
                     "already_queued")


def _guarded(conn: sa.Connection, statement, point: dict, person_id: str) -> sa.CursorResult:
    """Run a statement that makes an entry active, turning the partial unique index ("one
    active entry per person and queue") into 409 `already_queued`. A savepoint keeps the
    transaction usable on PostgreSQL, so the culprit can be named before it rolls back."""
    try:
        with conn.begin_nested():
            return conn.execute(statement)
    except sa.exc.IntegrityError:
        found = _open_entry(conn, point["id"], person_id)
        if found is None:
            raise
        raise already_queued(point, found.ticket) from None


def close_leftovers(conn: sa.Connection, person_id: str, day: str, now: str) -> None:
    """Entries of earlier days nobody closed (the Puskesmas shut with people still waiting):
    cancelled, so the person can queue again today (the unique index spans days)."""
    conn.execute(sa.update(E).where(E.c.person_id == person_id, E.c.day < day,
                                    E.c.status.in_(OPEN_STATUSES))
                 .values(status="cancelled", ended_at=now,
                         reason="Batal: tidak selesai pada hari kunjungan"))


def enqueue(conn: sa.Connection, *, arrival_id: str, person_id: str, point: dict, day: str,
            priority_rank: int, user: User, previous_id: int | None = None,
            reason: str | None = None, place: tuple[str, str] | None = None) -> int:
    """Open a waiting entry at `point`; `place` (ticket, queued_at) keeps an earlier place in
    this queue (a return), else a new ticket at the back of its rank."""
    now = clock.utc_stamp()
    close_leftovers(conn, person_id, day, now)
    ticket, queued_at = place or (next_ticket(conn, point, day), now)
    result = _guarded(conn, sa.insert(E).values(
        arrival_id=arrival_id, person_id=person_id, service_point_id=point["id"], day=day,
        ticket=ticket, priority_rank=priority_rank, queued_at=queued_at, status="waiting",
        previous_id=previous_id, reason=reason, created_at=now, created_by=user.username,
        call_count=0), point, person_id)
    return result.inserted_primary_key[0]


def _call(conn: sa.Connection, row: sa.Row, user: User, *, only_if: str | None = None,
          point: dict | None = None) -> bool:
    """Mark the entry called (again) and append the call to `flow_calls`, the display's
    sequence. `only_if` makes it conditional on the current status (False: someone else was
    quicker); `point` guards a return to the queue with the unique index."""
    now = clock.utc_stamp()
    statement = sa.update(E).where(E.c.id == row.id).values(
        status="called", called_at=now, called_by=user.username,
        call_count=E.c.call_count + 1)
    if only_if:
        statement = statement.where(E.c.status == only_if)
    taken = (_guarded(conn, statement, point, row.person_id) if point
             else conn.execute(statement))
    if taken.rowcount != 1:
        return False
    conn.execute(sa.insert(flow_calls).values(
        entry_id=row.id, service_point_id=row.service_point_id, ticket=row.ticket,
        day=row.day, called_at=now))
    return True


def _first_waiting(point_id: str, day: str, user: User) -> sa.Select:
    return (sa.select(E.c.id, E.c.service_point_id, E.c.ticket, E.c.day)
            .join(A, A.c.id == E.c.arrival_id)
            .where(E.c.service_point_id == point_id, E.c.day == day, E.c.status == "waiting",
                   A.c.desa.in_(sorted(user.scopes)))
            .order_by(*CALL_ORDER).limit(1))


def queue_empty(point: dict) -> FlowError:
    return FlowError(409, f"Antrean kosong: tidak ada yang menunggu di {point['label']}.",
                     "queue_empty")


def check_someone_waits(conn: sa.Connection, point_id: str, user: User,
                        day: str | None = None) -> dict:
    """In a read transaction, before `call_next_at`: the point if the caller may act there
    and someone waits whom they may see. An empty queue answers 409 without taking the write
    lock (idle desks pressing "Panggil berikutnya" would queue every writer behind them on
    SQLite). Someone arriving meanwhile is called at the next press."""
    day = day or today()
    point = access.require_point(conn, user, point_id, day)
    if conn.execute(_first_waiting(point_id, day, user)).first() is None:
        raise queue_empty(point)
    return point


def call_next(conn: sa.Connection, point_id: str, user: User, day: str | None = None) -> int:
    """Call the first waiting person of the point (in CALL_ORDER) whom the caller may see;
    404/403 for a point that is not theirs, 409 `queue_empty` when nobody waits."""
    day = day or today()
    return call_next_at(conn, access.require_point(conn, user, point_id, day), user, day)


def call_next_at(conn: sa.Connection, point: dict, user: User, day: str | None = None) -> int:
    """call_next at a point already checked for the caller (`check_someone_waits`)."""
    candidate = (_first_waiting(point["id"], day or today(), user)
                 .with_for_update(of=E, skip_locked=True))
    for _ in range(_CALL_RETRIES):
        row = conn.execute(candidate).first()
        if row is None:
            raise queue_empty(point)
        if _call(conn, row, user, only_if="waiting"):
            return row.id
    raise FlowError(409, "Antrean sedang ramai dipanggil; tekan lagi.", "queue_busy")


def _entry_for_step(conn: sa.Connection, entry_id: int, user: User, step: str,
                    day: str) -> sa.Row:
    """The entry, locked, if the caller may act on it and `step` may start from its status."""
    row = conn.execute(sa.select(E, A.c.desa).join(A, A.c.id == E.c.arrival_id)
                       .where(E.c.id == entry_id).with_for_update(of=E)).first()
    if row is None or not user.sees(row.desa):
        raise FlowError(404, "Antrean tidak ditemukan di Puskesmas ini.", "no_such_entry")
    access.require_point(conn, user, row.service_point_id, day)
    if row.status in ENDED_STATUSES:
        raise FlowError(409, f"Tiket {row.ticket} sudah {STATUS_WORDS[row.status]}: "
                             f"tidak bisa diubah lagi.", "entry_ended")
    allowed, words = STEPS[step]
    if row.status not in allowed:
        raise FlowError(409, f"Tiket {row.ticket} {STATUS_WORDS[row.status]}: tidak bisa "
                             f"{words}.", "bad_transition")
    if row.day != day and step != "cancel":
        raise FlowError(409, f"Tiket {row.ticket} dari antrean tanggal {row.day}: hanya bisa "
                             f"dibatalkan.", "other_day")
    return row


def _with_reason(current: str | None, words: str, given: str | None) -> str | None:
    """The entry's reason with a cancellation's appended (one column: why it came, why not)."""
    if not given:
        return current
    return (f"{current} — {words}: {given}" if current else f"{words}: {given}")[:300]


def step(conn: sa.Connection, entry_id: int, name: str, user: User,
         reason: str | None = None, day: str | None = None) -> int:
    """recall, start, skip, done or cancel one entry."""
    day = day or today()
    row = _entry_for_step(conn, entry_id, user, name, day)
    if name == "recall":  # a skipped person is back in the queue: the unique index decides
        point = access.point(conn, row.service_point_id) if row.status == "skipped" else None
        _call(conn, row, user, point=point)
        return row.id
    now = clock.utc_stamp()
    values = {
        "start": {"status": "in_service", "started_at": now, "served_by": user.username},
        "skip": {"status": "skipped"},
        "done": {"status": "done", "ended_at": now, "served_by": row.served_by or user.username},
        "cancel": {"status": "cancelled", "ended_at": now,
                   "reason": _with_reason(row.reason, "Batal", reason)},
    }[name]
    conn.execute(sa.update(E).where(E.c.id == row.id).values(**values))
    return row.id


def _earlier_place(conn: sa.Connection, arrival_id: str, point_id: str) -> tuple | None:
    """The ticket and place this arrival first had in the queue of `point_id`, if any."""
    row = conn.execute(sa.select(E.c.ticket, E.c.queued_at)
                       .where(E.c.arrival_id == arrival_id, E.c.service_point_id == point_id)
                       .order_by(E.c.id).limit(1)).first()
    return None if row is None else (row.ticket, row.queued_at)


def transfer(conn: sa.Connection, entry_id: int, to: str, user: User,
             reason: str | None = None, day: str | None = None) -> tuple[int, int]:
    """End the entry as `transferred` and open the next one at `to` (any active point: the
    desk sends to the lab without working there). Back at a point visited earlier in this
    arrival, the person keeps their old ticket and place. Returns (ended id, next id)."""
    day = day or today()
    row = _entry_for_step(conn, entry_id, user, "transfer", day)
    target = access.point(conn, to)
    if target is None or not target["active"]:
        raise FlowError(404, "Tempat layanan tujuan tidak ditemukan di Puskesmas ini.",
                        "no_such_point")
    if to == row.service_point_id:
        raise FlowError(409, f"Tiket {row.ticket} sudah di antrean {target['label']}.",
                        "bad_transition")
    conn.execute(sa.update(E).where(E.c.id == row.id)
                 .values(status="transferred", ended_at=clock.utc_stamp()))
    next_id = enqueue(conn, arrival_id=row.arrival_id, person_id=row.person_id, point=target,
                      day=day, priority_rank=row.priority_rank, user=user, previous_id=row.id,
                      reason=reason, place=_earlier_place(conn, row.arrival_id, to))
    return row.id, next_id
