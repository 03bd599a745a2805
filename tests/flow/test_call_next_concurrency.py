"""Two desks pressing "Panggil berikutnya" at the same instant never get the same person
(issue 15, item 4), on SQLite (BEGIN IMMEDIATE: writers take turns) and PostgreSQL (FOR UPDATE
SKIP LOCKED and a conditional update): 100 simultaneous pairs, each desk on its own thread
and its own database connection, released together by a barrier."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import sqlalchemy as sa

from backend import clock
from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from backend.flow import queue
from backend.flow.errors import FlowError
from backend.flow.tables import flow_arrivals, flow_calls, flow_queue_entries
from tests import factories

PAIRS = 100
WAITING = 2 * PAIRS - 1   # the last pair races for one person: one gets them, one 409


def _fill_queue(point_id: str, size: int) -> None:
    """`size` people waiting at the point, in all three ranks (inserted in bulk: the queue's
    own enqueue is tested in test_queue.py)."""
    day, now = queue.today(), clock.utc_stamp()
    arrivals = [{"id": str(uuid.uuid4()), "day": day, "person_id": f"person:{n}",
                 "desa": factories.DESA_A, "payer": "jkn", "new_patient": False,
                 "emergency": False, "disability": False, "symptoms": "[]",
                 "priority": "normal", "priority_groups": "[]", "proposed_cluster": "3",
                 "cluster": "3", "created_at": now, "created_by": "loket1"}
                for n in range(size)]
    entries = [{"arrival_id": arrival["id"], "person_id": arrival["person_id"],
                "service_point_id": point_id, "day": day, "ticket": f"C-{n + 1:03d}",
                "priority_rank": n % 3, "queued_at": now, "status": "waiting",
                "created_at": now, "created_by": "loket1", "call_count": 0}
               for n, arrival in enumerate(arrivals)]
    with write_transaction() as conn:
        conn.execute(sa.insert(flow_arrivals), arrivals)
        conn.execute(sa.insert(flow_queue_entries), entries)


def _desk(app, username: str, barrier: threading.Barrier, got: list) -> None:
    with app.app_context():
        with read_transaction() as conn:
            user = get_user(conn, username=username)[0]
        for _ in range(PAIRS):
            barrier.wait(timeout=30)
            try:
                with write_transaction() as conn:
                    got.append(queue.call_next(conn, "k3", user))
            except FlowError as exc:
                got.append(exc.code)


def test_simultaneous_call_next_never_calls_one_person_twice(app, flow):
    _fill_queue("k3", WAITING)
    barrier = threading.Barrier(2)
    got: dict[str, list] = {"dokter3": [], "kapus": []}
    desks = [threading.Thread(target=_desk, args=(app, name, barrier, got[name]))
             for name in got]
    for desk in desks:
        desk.start()
    for desk in desks:
        desk.join(timeout=120)
    assert not any(desk.is_alive() for desk in desks)

    pairs = list(zip(got["dokter3"], got["kapus"], strict=True))
    assert len(pairs) == PAIRS
    assert all(a != b for a, b in pairs)                       # never the same person
    outcomes = Counter(type(value) for pair in pairs for value in pair)
    assert outcomes == {int: WAITING, str: 1}                  # everyone called once
    assert [value for pair in pairs for value in pair if isinstance(value, str)] == [
        "queue_empty"]
    called = [value for pair in pairs for value in pair if isinstance(value, int)]
    assert len(set(called)) == WAITING
    with read_transaction() as conn:
        rows = conn.execute(sa.select(flow_queue_entries.c.status, flow_queue_entries.c.call_count,
                                      sa.func.count()).group_by(
            flow_queue_entries.c.status, flow_queue_entries.c.call_count)).all()
        calls = conn.execute(sa.select(flow_calls.c.entry_id)).scalars().all()
    assert [tuple(row) for row in rows] == [("called", 1, WAITING)]
    assert sorted(calls) == sorted(called)
