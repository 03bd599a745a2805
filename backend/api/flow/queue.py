"""Queues of the service flow under /api/v1/flow (docs/api.md "Service flow: queues"): the
caller's points today, registration at the loket, a point's queue, call-next, every step of an
entry and transfers. Thin views: role here, point and area in backend/flow (FlowError answers
as a problem with its `code`)."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from flask_smorest import Blueprint

from backend.api.base import require
from backend.api.flow.queue_schemas import (
    ArrivalBodySchema,
    ArrivalListSchema,
    ArrivalQuerySchema,
    DayQuerySchema,
    EntryDetailSchema,
    EntrySchema,
    QueuePointsSchema,
    QueueSchema,
    RegisteredSchema,
    StepBodySchema,
    TransferBodySchema,
    TransferSchema,
)
from backend.clinical_config import ilp_config
from backend.db import engine, read_transaction, write_transaction
from backend.flow import access, arrivals, display, entries, queue

blp = Blueprint("flow_queue", __name__, url_prefix="/flow",
                description="Alur layanan Puskesmas: pendaftaran dan antrean")


_WRITER = threading.Lock()


@contextmanager
def _writing():
    """A queue write. On SQLite the writers of this process first take turns on a lock of
    their own: waiting in SQLite's busy handler sleeps up to 100 ms between tries, which
    under a dozen desks made the slowest steps wait seconds for a lock held a millisecond."""
    if engine().dialect.name != "sqlite":
        with write_transaction() as conn:
            yield conn
        return
    with _WRITER, write_transaction() as conn:
        yield conn


def _staff():
    return require(*access.FLOW_ROLES)


def _day(query: dict) -> str:
    return query["day"].isoformat() if query.get("day") else queue.today()


@blp.route("/points")
@blp.arguments(DayQuerySchema, location="query")
@blp.response(200, QueuePointsSchema)
def my_points(query: dict):
    """The service points the caller acts at on the day, with their queue counts."""
    user, day = _staff(), _day(query)
    with read_transaction() as conn:
        mine = access.points_for(conn, user, day)
        counts = entries.counts(conn, mine, day)
        points = sorted((access.point(conn, pid) for pid in mine),
                        key=lambda point: (point["sort_order"], point["id"]))
    return {"day": day, "points": [{**entries.point_json(point), "counts": counts[point["id"]]}
                                   for point in points]}


@blp.route("/arrivals", methods=["POST"])
@blp.arguments(ArrivalBodySchema)
@blp.response(201, RegisteredSchema)
def register(body: dict):
    """Register today's arrival of a person: route, priority, and the first ticket."""
    user, day = _staff(), queue.today()
    flags = {key: body[key] for key in ("emergency", "disability", "symptoms")}
    with read_transaction() as conn:  # the evaluator runs outside the write lock
        arrivals.registration_point(conn, user, day)
        person = arrivals.person_doc(conn, body["person"], user)
        proposal = arrivals.propose(conn, ilp_config(), person, day, flags)
    with _writing() as conn:
        arrival_id, entry_id = arrivals.register(conn, user, person, body, proposal, day)
        return {"arrival": arrivals.arrival(conn, arrival_id, user),
                "entry": entries.entry(conn, entry_id, user), "route": proposal}


@blp.route("/arrivals")
@blp.arguments(ArrivalQuerySchema, location="query")
@blp.response(200, ArrivalListSchema)
def arrivals_of_day(query: dict):
    """The day's arrivals (newest first) with their current entry, for the loket."""
    user, day = _staff(), _day(query)
    with read_transaction() as conn:
        arrivals.registration_point(conn, user, day)
        return {"day": day, "items": arrivals.day_list(conn, user, day, query["q"])}


@blp.route("/queues/<point_id>")
@blp.arguments(DayQuerySchema, location="query")
@blp.response(200, QueueSchema)
def point_queue(query: dict, point_id: str):
    """A point's queue: waiting in call order, called, in service, skipped, done count."""
    user, day = _staff(), _day(query)
    with read_transaction() as conn:
        point = access.require_point(conn, user, point_id, day)
        return entries.queue_view(conn, point, day, user)


@blp.route("/queues/<point_id>/call-next", methods=["POST"])
@blp.response(200, EntrySchema)
def call_next(point_id: str):
    """Call the next person ("Panggil berikutnya"); 409 `queue_empty` when nobody waits."""
    user = _staff()
    with read_transaction() as conn:
        point = queue.check_someone_waits(conn, point_id, user)
    with _writing() as conn:
        called = entries.entry(conn, queue.call_next_at(conn, point, user), user)
    display.called()  # committed: this process's waiting-room streams show it at once
    return called


def _step_route(name: str, summary: str) -> None:
    def view(body: dict, entry_id: int):
        user = _staff()
        with _writing() as conn:
            answer = entries.entry(conn, queue.step(conn, entry_id, name, user, body["reason"]),
                                   user)
        if name == "recall":
            display.called()
        return answer

    view.__name__ = f"entry_{name}"
    view.__doc__ = summary
    blp.route(f"/entries/<int:entry_id>/{name}", methods=["POST"])(
        blp.arguments(StepBodySchema)(blp.response(200, EntrySchema)(view)))


_step_route("recall", "Call a called or skipped person again (a new call on the display).")
_step_route("start", "Start serving the called person.")
_step_route("skip", "Skip a called person who did not come (no-show); they may be recalled.")
_step_route("done", "Finish the service: the visit's entry here is done.")
_step_route("cancel", "Cancel the entry: the person left (reason optional).")


@blp.route("/entries/<int:entry_id>/transfer", methods=["POST"])
@blp.arguments(TransferBodySchema)
@blp.response(200, TransferSchema)
def transfer(body: dict, entry_id: int):
    """End the entry and queue the person at another point; a return keeps its old place."""
    user = _staff()
    with _writing() as conn:
        ended, following = queue.transfer(conn, entry_id, body["to"], user, body["reason"])
        return {"ended": entries.entry(conn, ended, user),
                "next": entries.entry(conn, following, user)}


@blp.route("/entries/<int:entry_id>")
@blp.response(200, EntryDetailSchema)
def entry_detail(entry_id: int):
    """An entry with the history of its visit, lab orders and dispensings."""
    user = _staff()
    with read_transaction() as conn:
        return entries.detail(conn, entry_id, user, queue.today())
