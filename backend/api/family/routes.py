"""A family's reminders (docs/push.md, "Family subscription and consent"). No login: the QR
token (in the body, never in a URL the server logs) opens one invite, and subscribing returns
a family key (header X-Family-Key) that reads one household's upcoming reminders and stops
them. Wrong tokens and keys are throttled per address (backend/push/invites.py)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from backend import audit, clock
from backend.api.family.schemas import (
    InviteSchema,
    RemindersSchema,
    SubscribedSchema,
    SubscribeSchema,
    TokenSchema,
)
from backend.db import write_transaction
from backend.push import family, invites
from backend.push.subscriptions import BadSubscription
from backend.reminders.upcoming import upcoming
from backend.sync import notify

blp = Blueprint("family", __name__, url_prefix="/family",
                description="A family's reminders: QR token, consent, subscription, Berhenti")
KEY_HEADER = "X-Family-Key"
REFUSALS = {404: "Unknown QR code.", 409: "QR code already used.", 410: "QR code no longer valid.",
            429: "Too many wrong codes from this address; the Retry-After header says when to "
                 "retry."}


def _guarded(attempt):
    """Run `attempt(conn, now)` in a write transaction after counting it as a possible guess
    (committed on its own, so a refusal still counts); refunded when it succeeds."""
    now = clock.utc_now()
    guard = invites.Guard.from_config(current_app.config)
    try:
        with write_transaction() as conn:
            ticket = invites.reserve(conn, guard, request.remote_addr, now)
    except invites.Throttled as exc:
        g.retry_after = exc.retry_after   # backend/auth/login.py retry_after_header
        abort(429, message="Too many wrong codes from this address; try again later.")
    try:
        with write_transaction() as conn:
            result = attempt(conn, now)
            invites.refund(conn, ticket)
    except invites.InviteRefused as exc:
        audit.record_request(None, "family.refused", "subscription_invite", "-",
                             detail={"reason": exc.reason})
        abort(exc.status, message=exc.message)
    except family.FamilyRefused as exc:
        if exc.forget:
            with write_transaction() as conn:
                family.forget(conn, exc.forget)
        abort(exc.status, message=exc.message)
    return result


def _settings() -> dict:
    cfg = current_app.config
    return {"daily_cap": cfg["PUSH_HOUSEHOLD_DAILY_CAP"],
            "window_start": cfg["PUSH_WINDOW_START"], "window_end": cfg["PUSH_WINDOW_END"]}


@blp.route("/invite")
class Invite(MethodView):
    @blp.arguments(TokenSchema)
    @blp.response(200, InviteSchema)
    @blp.alt_response(404, description=REFUSALS[404])
    @blp.alt_response(409, description=REFUSALS[409])
    @blp.alt_response(410, description=REFUSALS[410])
    @blp.alt_response(429, description=REFUSALS[429])
    def post(self, body):
        """Check a QR token before the family consents: valid until when, and what the page
        tells the family (the daily cap and the sending window). Nothing about the household;
        nothing is stored. The VAPID key comes from GET /api/v1/push/vapid-key."""
        row = _guarded(lambda conn, now: invites.open_invite(conn, body["token"], now))
        return {"expires_at": row.expires_at, **_settings()}


@blp.route("/subscribe")
class Subscribe(MethodView):
    @blp.arguments(SubscribeSchema)
    @blp.response(201, SubscribedSchema)
    @blp.alt_response(400, description="The browser subscription was refused (not https, a "
                                       "private address, keys of the wrong length).")
    @blp.alt_response(404, description=REFUSALS[404])
    @blp.alt_response(409, description=REFUSALS[409])
    @blp.alt_response(410, description=REFUSALS[410])
    @blp.alt_response(429, description=REFUSALS[429])
    def post(self, body):
        """Consent and subscribe in one transaction: the `subscription_consent` document and
        the invite's `used_at` through the write path, the subscription with a new family key
        (returned once)."""
        def attempt(conn, now: dt.datetime):
            try:
                done = family.subscribe(
                    conn, body["token"], body["given_by"], body["subscription"],
                    now=now.astimezone(clock.zone()),
                    allow_private=current_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"],
                    user_agent=request.user_agent.string)
            except BadSubscription as exc:
                abort(400, message=str(exc))
            except family.WriteRefused:
                abort(409, message="This QR code has already been used.")
            audit.record(conn, actor=None, action="family.subscribe",
                         target_type="household", target_id=done.household_id,
                         detail={"consent": done.consent_id})
            return done

        done = _guarded(attempt)
        notify.changed()   # committed: the consent and the used invite reach the tablets
        return {"key": done.key, "given_by": body["given_by"].strip(),
                "given_at": done.given_at}, 201


def _key() -> str | None:
    return request.headers.get(KEY_HEADER)


@blp.route("/reminders")
class Reminders(MethodView):
    @blp.response(200, RemindersSchema)
    @blp.alt_response(401, description="Unknown family key.")
    @blp.alt_response(410, description="The family's consent was withdrawn.")
    @blp.alt_response(429, description=REFUSALS[429])
    def get(self):
        """The household's upcoming reminders (first name, kind, date) for the family key in
        the X-Family-Key header."""
        def attempt(conn, now: dt.datetime):
            found = family.family(conn, _key())
            return found, upcoming(conn, found.household_id, now.astimezone(clock.zone()).date())

        found, items = _guarded(attempt)
        return {"given_by": found.given_by, "given_at": found.given_at,
                "reminders": [{k: v.isoformat() if isinstance(v, dt.date) else v
                               for k, v in item.items()} for item in items]}


@blp.route("/stop")
class Stop(MethodView):
    @blp.response(204)
    @blp.alt_response(401, description="Unknown family key.")
    @blp.alt_response(410, description="The family's consent was already withdrawn.")
    @blp.alt_response(429, description=REFUSALS[429])
    def post(self):
        """"Berhenti": the consent revoked through the write path, this phone's subscription
        deleted and its queued messages dropped."""
        def attempt(conn, now: dt.datetime):
            found = family.family(conn, _key())
            family.stop(conn, found, now.astimezone(clock.zone()))
            audit.record(conn, actor=None, action="family.stop", target_type="household",
                         target_id=found.household_id, desa=found.desa,
                         detail={"consent": found.consent_id})

        _guarded(attempt)
        notify.changed()
