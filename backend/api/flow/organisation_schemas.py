"""The organisation and duty resources' shapes (docs/api.md "Flow: organisation and duty").

Types and sizes here; the rules (known clusters and competencies, kind and clusters agreeing, a
unique ticket prefix, one PJ per cluster) live in backend/flow/organisation.py and duty.py and
answer 422/409 problems with a `code`."""

from marshmallow import Schema, fields, validate

from backend.documents.vocabulary import CLUSTERS
from backend.flow.vocabulary import POINT_KINDS, POSITIONS

CODE = fields.String(validate=validate.Length(min=1, max=40))


class PointSchema(Schema):
    id = fields.String()
    label = fields.String()
    kind = fields.String(metadata={"description": f"One of {', '.join(POINT_KINDS)}."})
    clusters = fields.List(fields.String())
    ticket_prefix = fields.String()
    active = fields.Boolean()
    sort_order = fields.Integer()


class PointNewSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "Slug: lowercase letters, digits and dashes, e.g. k3-umum."})
    label = fields.String(required=True, validate=validate.Length(min=1, max=80))
    kind = fields.String(required=True, validate=validate.OneOf(POINT_KINDS))
    clusters = fields.List(fields.String(validate=validate.OneOf(CLUSTERS)), required=True,
                           validate=validate.Length(min=1, max=len(CLUSTERS)))
    ticket_prefix = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z]{1,3}$", error="1 to 3 capital letters"))
    sort_order = fields.Integer(validate=validate.Range(min=0, max=999))


class PointEditSchema(Schema):
    label = fields.String(validate=validate.Length(min=1, max=80))
    kind = fields.String(validate=validate.OneOf(POINT_KINDS))
    clusters = fields.List(fields.String(validate=validate.OneOf(CLUSTERS)),
                           validate=validate.Length(min=1, max=len(CLUSTERS)))
    ticket_prefix = fields.String(validate=validate.Regexp(
        r"^[A-Z]{1,3}$", error="1 to 3 capital letters"))
    sort_order = fields.Integer(validate=validate.Range(min=0, max=999))
    active = fields.Boolean(metadata={"description": "false closes the point (refused while "
                                                     "people wait in its queue)."})


class CompetencySchema(Schema):
    code = fields.String()
    label = fields.String()


class ClusterSchema(Schema):
    code = fields.String()
    label = fields.String()
    short = fields.String()
    scope = fields.List(fields.String())
    competencies = fields.List(fields.Nested(CompetencySchema))
    pj = fields.String(metadata={"description": "Who the PJ is by office (Klaster 1: Kepala "
                                                "Tata Usaha)."})
    source = fields.String()


class StaffSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    cluster = fields.String(allow_none=True)
    position = fields.String(allow_none=True, metadata={"description": "pj, anggota, or null "
                                                                      "when not yet assigned."})
    competencies = fields.List(fields.String())
    assigned = fields.Boolean()


class OrganisationSchema(Schema):
    clusters = fields.List(fields.Nested(ClusterSchema))
    service_points = fields.List(fields.Nested(PointSchema))
    staff = fields.List(fields.Nested(StaffSchema))
    needs = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "Service point id -> the competencies of which one lets a member of "
                       "staff cover it."})


class AssignmentSchema(Schema):
    cluster = fields.String(required=True, validate=validate.OneOf(CLUSTERS))
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    competencies = fields.List(CODE, load_default=list, validate=validate.Length(max=60))


class DutyQuerySchema(Schema):
    day = fields.String(metadata={"description": "YYYY-MM-DD; default today at the Puskesmas."})


class DutyStaffSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    cluster = fields.String(allow_none=True)
    competencies = fields.List(fields.String())
    on_duty_at = fields.List(fields.String(), metadata={
        "description": "can_cover only: the points where they already serve that day."})


class DutyPointSchema(Schema):
    service_point = fields.Nested(PointSchema)
    staff = fields.List(fields.Nested(DutyStaffSchema))
    uncovered = fields.Boolean()
    needs = fields.List(fields.String())
    can_cover = fields.List(fields.Nested(DutyStaffSchema))


class DutySchema(Schema):
    day = fields.String()
    points = fields.List(fields.Nested(DutyPointSchema))


class DutySetSchema(Schema):
    usernames = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                            required=True, validate=validate.Length(max=20))
