"""The Puskesmas's organisation and today's duty (docs/flow.md "Organisation and duty").

Everyone in the flow (klaster, kapus, admin) reads; the Kepala Puskesmas and the admin change
the organisation and service points; duty is theirs and, for the points of their cluster, the
PJ's. Other roles get 403. The views are thin: backend/flow/organisation.py and duty.py hold
the rules and write the audit rows.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from backend.api.base import require
from backend.api.flow.organisation_schemas import (
    AssignmentSchema,
    DutyPointSchema,
    DutyQuerySchema,
    DutySchema,
    DutySetSchema,
    OrganisationSchema,
    PointEditSchema,
    PointNewSchema,
    PointSchema,
    StaffSchema,
)
from backend.auth.users import User
from backend.clinical_config import ilp_config
from backend.db import read_transaction, write_transaction
from backend.flow import duty, organisation
from backend.flow.access import FLOW_ROLES, MANAGERS
from backend.flow.errors import FlowError

blp = Blueprint("flow_organisation", __name__, url_prefix="/flow",
                description="Puskesmas organisation, service points and duty")


def _caller(*roles: str) -> User:
    """The logged-in user (401 otherwise) if their role is among `roles` (403 `forbidden`)."""
    user = require()
    if user.role not in roles:
        raise FlowError(403, "Peran Anda tidak termasuk dalam layanan Puskesmas ini.",
                        "forbidden")
    return user


@blp.route("/organisation")
class Organisation(MethodView):
    @blp.response(200, OrganisationSchema)
    def get(self):
        """The clusters (ILP config), the service points and the staff with their assignment."""
        _caller(*FLOW_ROLES)
        config = ilp_config()
        with read_transaction() as conn:
            points = organisation.service_points(conn)
            members = organisation.staff(conn)
        return {"clusters": organisation.clusters(config), "service_points": points,
                "staff": members,
                "needs": {p["id"]: sorted(organisation.needed_competencies(config, p))
                          for p in points}}


@blp.route("/staff/<username>")
class Staff(MethodView):
    @blp.arguments(AssignmentSchema)
    @blp.response(200, StaffSchema)
    def put(self, data, username):
        """Place a staff member in one cluster as PJ or anggota with their competencies."""
        user = _caller(*MANAGERS)
        with write_transaction() as conn:
            return organisation.assign(conn, user, username, data, ilp_config())

    @blp.response(204)
    def delete(self, username):
        """Take a staff member out of the clusters."""
        user = _caller(*MANAGERS)
        with write_transaction() as conn:
            organisation.unassign(conn, user, username)


@blp.route("/service-points")
class ServicePoints(MethodView):
    @blp.arguments(PointNewSchema)
    @blp.response(201, PointSchema)
    def post(self, data):
        """Create a service point (a room or desk)."""
        user = _caller(*MANAGERS)
        with write_transaction() as conn:
            return organisation.create_point(conn, user, data)


@blp.route("/service-points/<point_id>")
class ServicePoint(MethodView):
    @blp.arguments(PointEditSchema)
    @blp.response(200, PointSchema)
    def patch(self, changes, point_id):
        """Change a service point; `active: false` closes it."""
        user = _caller(*MANAGERS)
        with write_transaction() as conn:
            return organisation.update_point(conn, user, point_id, changes)


@blp.route("/duty")
class Duty(MethodView):
    @blp.arguments(DutyQuerySchema, location="query")
    @blp.response(200, DutySchema)
    def get(self, query):
        """Who is on duty where on a day, uncovered points and who can cover them."""
        _caller(*FLOW_ROLES)
        day = duty.parse_day(query.get("day"))
        with read_transaction() as conn:
            return duty.roster(conn, day, ilp_config())


@blp.route("/duty/<day>/<point_id>")
class DutyAtPoint(MethodView):
    @blp.arguments(DutySetSchema)
    @blp.response(200, DutyPointSchema)
    def put(self, data, day, point_id):
        """Set who is on duty at a point on a day (kapus, admin, or the PJ of its cluster)."""
        user = _caller(*FLOW_ROLES)
        with write_transaction() as conn:
            return duty.set_duty(conn, user, day, point_id, data["usernames"], ilp_config())
