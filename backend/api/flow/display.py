"""Waiting-room screens (`/flow/displays`), their live feed and the day report
(`/flow/report`); docs/flow.md "Waiting-room display" and "Day report".

The feed needs no login: the screen's token, sent in the X-Display-Token header (never in a URL
the server logs), opens its calls and nothing else."""

from __future__ import annotations

from flask import Response, current_app, g, request, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend import audit, clock
from backend.api.base import require
from backend.api.flow.display_schemas import (
    DisplayCreatedSchema,
    DisplayInSchema,
    DisplaySchema,
    PointLabelSchema,
    ReportQuerySchema,
    ReportSchema,
)
from backend.db import engine, read_transaction, write_transaction
from backend.flow import display, report
from backend.flow.errors import FlowError

blp = Blueprint("flow_display", __name__, url_prefix="/flow",
                description="The Puskesmas flow: waiting-room screens and the day report")
TOKEN_HEADER = "X-Display-Token"


@blp.route("/displays")
class Displays(MethodView):
    @blp.response(200, DisplaySchema(many=True))
    def get(self):
        """The waiting-room screens not revoked (Kepala Puskesmas, admin)."""
        user = require()
        with read_transaction() as conn:
            return display.list_displays(conn, user)

    @blp.arguments(DisplayInSchema)
    @blp.response(201, DisplayCreatedSchema)
    @blp.alt_response(404, description="An unknown or inactive service point (no_such_point).")
    def post(self, body):
        """A new screen for some service points. Its URL (`/layar/#<token>`) is in this answer
        only: the server keeps the token's SHA-256."""
        user = require()
        with write_transaction() as conn:
            shown, token = display.create(conn, user, body["label"], body["service_points"],
                                          body["chime"], clock.utc_now())
            audit.record(conn, actor=user, action="flow.display_create",
                         target_type="flow_display", target_id=shown["id"],
                         detail={"label": shown["label"], "service_points": [
                             p["id"] for p in shown["service_points"]]})
        return {**shown, "token": token, "url": f"/layar/#{token}"}, 201


@blp.route("/displays/points")
class DisplayPoints(MethodView):
    @blp.response(200, PointLabelSchema(many=True))
    def get(self):
        """The active service points a new screen may show (Kepala Puskesmas, admin)."""
        user = require()
        with read_transaction() as conn:
            return display.choosable_points(conn, user)


@blp.route("/displays/<display_id>")
class DisplayById(MethodView):
    @blp.response(204)
    @blp.alt_response(404, description="No such screen, or already revoked (no_such_display).")
    def delete(self, display_id):
        """Revoke a screen: its token opens nothing any more and its open streams end."""
        user = require()
        with write_transaction() as conn:
            gone = display.revoke(conn, user, display_id, clock.utc_now())
            audit.record(conn, actor=user, action="flow.display_revoke",
                         target_type="flow_display", target_id=display_id,
                         detail={"label": gone["label"]})


def _screen() -> dict:
    """The screen the request's token opens; 404 (counted against the address) otherwise, 429
    while the address is locked out."""
    cfg, now = current_app.config, clock.utc_now()
    limit, window = cfg["LOGIN_ADDRESS_LIMIT"], cfg["LOGIN_RATE_WINDOW_SECONDS"]
    with read_transaction() as conn:
        wait = display.locked_for(conn, request.remote_addr, limit, window, now)
        screen = None if wait else display.by_token(conn, request.headers.get(TOKEN_HEADER))
    if wait:
        g.retry_after = wait           # backend/auth/login.py retry_after_header
        abort(429, message="Terlalu banyak token layar yang salah dari alamat ini; coba lagi "
                           "nanti.")
    if screen is None:
        with write_transaction() as conn:
            display.count_refusal(conn, request.remote_addr, window, now)
        raise FlowError(*display.UNKNOWN)
    return screen


@blp.route("/displays/feed")
class Feed(MethodView):
    @blp.doc(responses={"200": {"description": "`text/event-stream`: `retry:`, then a `state` "
                                               "event (or, with Last-Event-ID, the calls "
                                               "missed), then a `call` event per call with "
                                               "`id:` = the call's sequence; `removed` when "
                                               "the screen is revoked."},
                        "404": {"description": "Unknown or revoked token (no_such_display)."},
                        "429": {"description": "Too many wrong tokens from this address."},
                        "503": {"description": "This process serves its maximum of screens; "
                                               "retry after Retry-After seconds."}})
    def get(self):
        """The screen's live calls: ticket, service point label, time — never a name. The
        token goes in the X-Display-Token header; a client resuming sends Last-Event-ID."""
        screen = _screen()
        cfg = current_app.config
        if not display.SLOTS.take(cfg["FLOW_DISPLAY_MAX_STREAMS"]):
            response = Response("Layar penuh; coba lagi.\n", status=503, mimetype="text/plain")
            response.headers["Retry-After"] = "5"
            return response
        bind = engine()

        def read(fn):
            with read_transaction(bind) as conn:
                return fn(conn)

        lines = display.stream(read, screen, lambda: clock.today().isoformat(),
                               display.parse_last_id(request.headers.get("Last-Event-ID")),
                               cfg["FLOW_DISPLAY_STREAM_SECONDS"])
        response = Response(stream_with_context(lines), mimetype="text/event-stream")
        response.call_on_close(display.SLOTS.give)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"     # a proxy must not hold the events back
        return response


@blp.route("/report")
class Report(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, query):
        """Klaster 1's report for a day (`day`, default today) or a month (`month`): visits
        per cluster; per service point served, waiting and service time (median, p90) and
        no-shows. Kepala Puskesmas, admin, Klaster 1."""
        user = require()
        with read_transaction() as conn:
            return report.report(conn, user, day=query.get("day"), month=query.get("month"),
                                 today=clock.today())
