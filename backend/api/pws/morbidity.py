"""PWS morbidity: new cases by ICD-10 category per desa for a month (docs/api.md, "PWS").

Aggregates only (no person), so dinkes sees it too; backend/pws/morbidity.py counts.
"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from backend.api.pws.blueprint import blp
from backend.api.pws.board import PwsDesaSchema
from backend.api.pws.fields import MonthField
from backend.api.pws.scope import dashboard_scope
from backend.db import read_transaction
from backend.projections.places import desa_names
from backend.pws import morbidity
from backend.pws.months import current_month


class PwsMorbidityQuerySchema(Schema):
    month = MonthField()


class PwsTopSchema(Schema):
    code = fields.String()
    label = fields.String()
    cases = fields.Integer()


class PwsWatchSchema(Schema):
    label = fields.String()
    codes = fields.List(fields.String())
    cases_by_desa = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class PwsMorbidityRowSchema(Schema):
    desa = fields.String()
    code = fields.String()
    label = fields.String()
    cases = fields.Integer()
    cases_fktp = fields.Integer()


class PwsMorbiditySchema(Schema):
    month = fields.String()
    desa = fields.List(fields.Nested(PwsDesaSchema))
    top = fields.List(fields.Nested(PwsTopSchema))
    watch = fields.List(fields.Nested(PwsWatchSchema))
    rows = fields.List(fields.Nested(PwsMorbidityRowSchema))


@blp.route("/morbidity")
class Morbidity(MethodView):
    @blp.arguments(PwsMorbidityQuerySchema, location="query")
    @blp.response(200, PwsMorbiditySchema)
    def get(self, query):
        """New cases (case "baru") of the month by 3-character ICD-10 category: the top N of
        the Puskesmas, the watch groups per desa (config/ilp/pws.json) and every row."""
        scope = dashboard_scope()
        with read_transaction() as conn:
            report = morbidity.report(conn, scope.desa, query.get("month") or current_month())
            return {**report, "desa": desa_names(conn, scope.desa)}
