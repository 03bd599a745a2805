"""Follow-up tasks for the Pustu: list filters and rows."""

from marshmallow import Schema, fields, validate

from backend.api.paging import PageQuerySchema
from backend.documents.fieldtypes import DesaCode
from backend.documents.schemas import TASK_STATUSES


class TaskQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    desa = DesaCode()
    overdue = fields.Boolean()
    person = fields.String()


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
    outcome = fields.String(allow_none=True)
    created_at = fields.String()
    done_at = fields.String(allow_none=True)
