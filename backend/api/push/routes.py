"""Web push (docs/push.md "Staff notifications"): the VAPID public key every subscribing page
needs (the family page too, so it asks for no login); a logged-in user's own devices, subscribed
from Pengaturan, and a test message to them; the outbox report for the admin and the Kepala
Puskesmas."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend import audit, clock
from backend.api.base import require
from backend.api.push.schemas import (
    DeviceListSchema,
    DeviceSchema,
    EndpointSchema,
    OutboxReportSchema,
    SubscriptionSchema,
    TestResultSchema,
    VapidKeySchema,
)
from backend.db import read_transaction, write_transaction
from backend.push import report, staff, subscriptions
from backend.worker import status

blp = Blueprint("push", __name__, url_prefix="/push", description="Web push")
OUTBOX_READERS = ("admin", "kapus")


@blp.route("/vapid-key")
class VapidKey(MethodView):
    @blp.response(200, VapidKeySchema)
    def get(self):
        """The VAPID public key to subscribe with (public: no login)."""
        return {"public_key": current_app.config["VAPID_PUBLIC_KEY"]}


def _checked(raw: dict) -> subscriptions.Subscription:
    try:
        return subscriptions.check(
            raw, allow_private=current_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"])
    except subscriptions.BadSubscription as exc:
        abort(400, message=f"Subscription refused: {exc}.")


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.arguments(SubscriptionSchema)
    @blp.response(201, DeviceSchema)
    def post(self, body):
        """Subscribe this device for the logged-in user (the same endpoint again replaces it)."""
        user = require()
        sub = _checked(body)
        with write_transaction() as conn:
            sub_id = subscriptions.save(conn, sub, kind="staff", now=clock.utc_now(),
                                        username=user.username,
                                        user_agent=request.headers.get("User-Agent"))
            device = next(d for d in staff.devices(conn, user.username) if d["id"] == sub_id)
            audit.record(conn, actor=user, action="push.subscribe",
                         target_type="push_subscription", target_id=sub_id,
                         detail={"service": device["service"]})
        return device

    @blp.arguments(EndpointSchema)
    @blp.response(204)
    @blp.alt_response(404, description="No device of the caller has this endpoint.")
    def delete(self, body):
        """Unsubscribe one of the user's own devices; its queued messages are dropped."""
        user = require()
        with write_transaction() as conn:
            sub_id = staff.own_subscription(conn, user.username, body["endpoint"])
            if sub_id is None:
                abort(404, message="No device of yours has this subscription.")
            subscriptions.delete(conn, reason="unsubscribed by the user", sub_id=sub_id)
            audit.record(conn, actor=user, action="push.unsubscribe",
                         target_type="push_subscription", target_id=sub_id)


@blp.route("/devices")
class Devices(MethodView):
    @blp.response(200, DeviceListSchema)
    def get(self):
        """The logged-in user's subscribed devices."""
        user = require()
        with read_transaction() as conn:
            return {"items": staff.devices(conn, user.username)}


@blp.route("/test")
class TestPush(MethodView):
    @blp.response(200, TestResultSchema)
    def post(self):
        """Send a test notification to every device of the logged-in user, now."""
        user = require()
        with write_transaction() as conn:
            ids = staff.queue_test(conn, user.username, clock.utc_now())
        if not ids:
            abort(422, message="No device of yours is subscribed.")
        from backend.push.sender import send_now  # noqa: PLC0415  (pywebpush loads on use)

        send_now(current_app._get_current_object(), ids)
        with write_transaction() as conn:
            result = staff.test_result(conn, ids)
            audit.record(conn, actor=user, action="push.test", target_type="user",
                         target_id=user.id, detail={"queued": result["queued"],
                                                          "sent": result["sent"]})
        return result


@blp.route("/outbox")
class Outbox(MethodView):
    @blp.response(200, OutboxReportSchema)
    def get(self):
        """Outbox counts by status and rule, the oldest waiting, recent failures, worker jobs."""
        require(*OUTBOX_READERS)
        with read_transaction() as conn:
            now = clock.utc_now()
            return {"now": now.isoformat(timespec="seconds"), **report.summary(conn),
                    "jobs": status.jobs(conn, now=now)}
