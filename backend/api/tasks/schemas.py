"""Follow-up tasks for the Pustu: list filters and rows."""

from marshmallow import Schema, fields, validate

from backend.api.paging import PageQuerySchema
from backend.documents.fieldtypes import DesaCode
from backend.documents.schemas import TASK_OUTCOMES, TASK_STATUSES


class TaskQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    desa = DesaCode()
    overdue = fields.Boolean()
    person = fields.String()
    rule = fields.String(metadata={"description": "config/ilp/followup.json rule code"})
    origin = fields.String(metadata={"description": "the encounter a task was derived from"})
    urgent = fields.Boolean()


class TaskRowSchema(Schema):
    id = fields.String()
    desa = fields.String()
    person_id = fields.String(allow_none=True)
    person_name = fields.String(allow_none=True)
    reason = fields.String()
    due_date = fields.Date()
    status = fields.String()
    assigned_place_id = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    origin_id = fields.String(allow_none=True)
    rule = fields.String(allow_none=True)
    cluster = fields.String(allow_none=True)
    urgent = fields.Boolean(allow_none=True)
    outcome_code = fields.String(allow_none=True, validate=validate.OneOf(TASK_OUTCOMES))
    outcome = fields.String(allow_none=True)
    created_at = fields.String()
    done_at = fields.String(allow_none=True)
