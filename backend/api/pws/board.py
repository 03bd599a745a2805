"""PWS indicators, the board of a month and a desa's 12-month trend (docs/api.md, "PWS").

Thin views: scope from backend/api/pws/scope.py, numbers from backend/pws/compute.py.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from backend.api.pws.blueprint import blp
from backend.api.pws.fields import MonthField
from backend.api.pws.scope import dashboard_scope
from backend.db import read_transaction
from backend.documents.fieldtypes import DesaCode
from backend.pws import compute
from backend.pws.catalogue import catalogue
from backend.pws.denominators import SOURCES
from backend.pws.months import current_month
from backend.pws.status import STATUSES

PERIODS = ("monthly", "cumulative", "semester", "prevalence")
DIRECTIONS = ("naik", "turun", "tetap")


class PwsIndicatorQuerySchema(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "Tahun target; bawaan: tahun ini"})


class PwsIndicatorSchema(Schema):
    id = fields.String()
    cluster = fields.String()
    short = fields.String()
    label = fields.String()
    period = fields.String(validate=validate.OneOf(PERIODS))
    numerator_text = fields.String()
    denominator_text = fields.String()
    target_pct = fields.Float()
    spm = fields.Boolean()
    source = fields.String()


class PwsBoardQuerySchema(Schema):
    month = MonthField()
    cluster = fields.String(metadata={"description": "Klaster ILP (2, 3, 4); bawaan: semua"})


class PwsDesaSchema(Schema):
    code = fields.String()
    name = fields.String()


class PwsBoardIndicatorSchema(Schema):
    id = fields.String()
    short = fields.String()
    label = fields.String()
    cluster = fields.String()
    period = fields.String(validate=validate.OneOf(PERIODS))
    target_pct = fields.Float()
    target_cum_pct = fields.Float()


class PwsNumbersSchema(Schema):
    indicator = fields.String()
    num_month = fields.Integer()
    num_cum = fields.Integer()
    denominator = fields.Integer()
    denominator_source = fields.String(validate=validate.OneOf(SOURCES))
    coverage_month = fields.Float(allow_none=True)
    coverage_cum = fields.Float(allow_none=True)
    prev_coverage_month = fields.Float(allow_none=True)
    target_cum = fields.Float()
    gap_persons = fields.Integer(allow_none=True)
    status = fields.String(allow_none=True, validate=validate.OneOf(STATUSES))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    rank = fields.Integer(allow_none=True)


class PwsCellSchema(PwsNumbersSchema):
    desa = fields.String()


class PwsDesaDoubtSchema(Schema):
    desa = fields.String()
    open_flags = fields.Integer(metadata={"description": "Catatan bulan ini dengan tanda mutu "
                                                         "data yang belum ditinjau"})
    duplicates = fields.Integer(metadata={"description": "Pasangan mungkin orang yang sama "
                                                         "yang belum diputuskan"})


class PwsDoubtSchema(Schema):
    excludes_flagged = fields.Boolean(metadata={
        "description": "Prevalensi tidak menghitung nilai pertumbuhan yang masih bertanda"})
    desa = fields.List(fields.Nested(PwsDesaDoubtSchema))


class PwsBoardSchema(Schema):
    month = fields.String()
    months_elapsed = fields.Integer()
    desa = fields.List(fields.Nested(PwsDesaSchema))
    indicators = fields.List(fields.Nested(PwsBoardIndicatorSchema))
    cells = fields.List(fields.Nested(PwsCellSchema))
    totals = fields.List(fields.Nested(PwsNumbersSchema))
    doubt = fields.Nested(PwsDoubtSchema)


class PwsTrendQuerySchema(Schema):
    desa = DesaCode(required=True)
    indicator = fields.String(required=True)
    month = MonthField()


class PwsTrendPointSchema(Schema):
    month = fields.String()
    num_month = fields.Integer()
    num_cum = fields.Integer()
    denominator = fields.Integer()
    coverage_month = fields.Float(allow_none=True)
    coverage_cum = fields.Float(allow_none=True)
    target_cum = fields.Float()
    status = fields.String(allow_none=True, validate=validate.OneOf(STATUSES))
    open_flags = fields.Integer()
    duplicates = fields.Integer()


class PwsTrendSchema(Schema):
    desa = fields.String()
    indicator = fields.String()
    points = fields.List(fields.Nested(PwsTrendPointSchema))
    excludes_flagged = fields.Boolean()


@blp.route("/indicators")
class Indicators(MethodView):
    @blp.arguments(PwsIndicatorQuerySchema, location="query")
    @blp.response(200, PwsIndicatorSchema(many=True))
    def get(self, query):
        """The indicator catalogue (config/ilp/pws.json) with each target of `year`."""
        dashboard_scope()
        year = query.get("year") or current_month().year
        return [{"id": i.id, "cluster": i.cluster, "short": i.short, "label": i.label,
                 "period": i.period, "numerator_text": i.numerator.text,
                 "denominator_text": i.denominator.text, "target_pct": i.target(year),
                 "spm": i.spm, "source": i.source} for i in catalogue().indicators]


@blp.route("/board")
class Board(MethodView):
    @blp.arguments(PwsBoardQuerySchema, location="query")
    @blp.response(200, PwsBoardSchema)
    def get(self, query):
        """Every indicator × desa of the caller's area for a month (bawaan: bulan ini), with
        the Puskesmas totals. An unknown cluster is a 422."""
        scope = dashboard_scope()
        cluster = query.get("cluster")
        if cluster is not None and cluster not in {i.cluster for i in catalogue().indicators}:
            abort(422, message=f"Klaster {cluster!r} tidak ada di katalog PWS.")
        with read_transaction() as conn:
            return compute.board(conn, scope.desa, query.get("month") or current_month(),
                                 cluster)


@blp.route("/trend")
class Trend(MethodView):
    @blp.arguments(PwsTrendQuerySchema, location="query")
    @blp.response(200, PwsTrendSchema)
    def get(self, query):
        """The 12 months ending at `month` of one indicator in one desa. An indicator the
        catalogue does not have is a 404, like a desa outside the caller's area."""
        scope = dashboard_scope()
        desa = scope.one(query["desa"])
        try:
            indicator = catalogue().get(query["indicator"])
        except KeyError:
            abort(404, message=f"Indikator {query['indicator']!r} tidak dikenal.")
        with read_transaction() as conn:
            return compute.trend(conn, desa, indicator.id, query.get("month") or current_month())
