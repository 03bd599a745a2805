"""/api/v1/flow: the cluster desk's encounter, lab orders and results, the pharmacy.

Klaster staff, the Kepala Puskesmas and admin only, at the service points they may act at
today (backend/flow/access.py); the rules live in backend/flow/desk.py, lab.py and
pharmacy.py. Every clinical record goes through the one write path in the transaction of the
queue change that goes with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from backend import clock
from backend.api.base import require
from backend.api.flow.desk_schemas import (
    ArrivalPrescriptionsSchema,
    DispenseBodySchema,
    DispensedSchema,
    EncounterBodySchema,
    LabOrderBodySchema,
    LabOrdersQuerySchema,
    LabOrderWithPersonSchema,
    ResultsBodySchema,
)
from backend.auth.users import User
from backend.clinical_config import ilp_config
from backend.db import read_transaction, write_transaction
from backend.errors import problem
from backend.flow import desk, lab, pharmacy
from backend.flow.access import FLOW_ROLES
from backend.sync import notify

blp = Blueprint("flow_desk", __name__, url_prefix="/flow",
                description="Service flow: cluster desk, lab and pharmacy")


@blp.errorhandler(desk.Invalid)
def _invalid(exc: desk.Invalid) -> Response:
    """A body the flow cannot record: the problem names every failing field."""
    return problem(422, "Unprocessable Entity", exc.message, code=exc.code,
                   errors={"json": exc.errors})


def flow_staff(view):
    """Outermost on a view: the role is checked before the body is parsed, so another role
    learns nothing from a validation answer (401/403 first, then 422)."""
    @functools.wraps(view)
    def checked(*args, **kwargs):
        require(*FLOW_ROLES)
        return view(*args, **kwargs)
    return checked


def _write(action: Callable[..., object], *args, documents: bool = False):
    """Run `action(conn, user, *args)` in one write transaction as the caller."""
    user: User = require(*FLOW_ROLES)
    with write_transaction() as conn:
        out = action(conn, user, *args)
    if documents:
        notify.changed()  # committed: wake the longpoll `_changes` requests of this process
    return out


def _read(action: Callable[..., object], *args):
    user: User = require(*FLOW_ROLES)
    with read_transaction() as conn:
        return action(conn, user, *args)


@blp.route("/entries/<int:entry_id>/encounter")
class EntryEncounter(MethodView):
    @flow_staff
    @blp.arguments(EncounterBodySchema)
    @blp.response(201)
    def post(self, body, entry_id):
        """Record the desk's encounter for a called or in-service entry (the entry starts if
        only called): the server sets person, date, setting, place, cluster and provider."""
        return _write(lambda conn, user: desk.record_encounter(
            conn, ilp_config(), user, entry_id, body), documents=True)


@blp.route("/entries/<int:entry_id>/lab-orders")
class EntryLabOrders(MethodView):
    @flow_staff
    @blp.arguments(LabOrderBodySchema)
    @blp.response(201, LabOrderWithPersonSchema)
    def post(self, body, entry_id):
        """Order tests of config/ilp/lab.json for the entry the desk serves."""
        return _write(lambda conn, user: lab.order_tests(
            conn, ilp_config(), user, entry_id, body["tests"], body.get("note")))


@blp.route("/lab-orders")
class LabOrders(MethodView):
    @flow_staff
    @blp.arguments(LabOrdersQuerySchema, location="query")
    @blp.response(200, LabOrderWithPersonSchema(many=True))
    def get(self, query):
        """The day's lab orders (open ones by default), oldest first, with the person."""
        day = (query.get("day") or clock.today()).isoformat()
        return _read(lab.lab_orders, day, query["open"])


@blp.route("/lab-orders/<int:order_id>/results")
class LabOrderResults(MethodView):
    @flow_staff
    @blp.arguments(ResultsBodySchema)
    @blp.response(201)
    def post(self, body, order_id):
        """Record the lab's results as one encounter (cluster lintas): Hb, glucose,
        cholesterol and HbA1c as measurements, the rest as lab_results. A result outside the
        test's limits, not ordered or of an unknown test: 422 and nothing written."""
        return _write(lambda conn, user: lab.record_results(
            conn, ilp_config(), user, order_id, body["results"], body.get("glucose_type")),
            documents=True)


@blp.route("/arrivals/<arrival_id>/prescriptions")
class ArrivalPrescriptions(MethodView):
    @flow_staff
    @blp.response(200, ArrivalPrescriptionsSchema)
    def get(self, arrival_id):
        """The prescriptions of the arrival's encounters with what was dispensed."""
        return _read(pharmacy.prescriptions, arrival_id)


@blp.route("/entries/<int:entry_id>/dispense")
class EntryDispense(MethodView):
    @flow_staff
    @blp.arguments(DispenseBodySchema)
    @blp.response(201, DispensedSchema)
    def post(self, body, entry_id):
        """Mark what the pharmacy handed over from one prescription of the arrival."""
        return _write(pharmacy.dispense, entry_id, body["encounter"], body["items"])

