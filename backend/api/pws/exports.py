"""The monthly evaluation and the kohort registers, as JSON for the printable pages and as XLSX.

Thin: the rows come from backend/pws/evaluation.py and kohort.py, the workbooks from xlsx.py.
Scope (docs/pws.md, "Who sees what"): the evaluation is aggregates (dinkes too, never a name in
it); a kohort names every mother and child, so it is for kapus, klaster, admin (every desa) and
the Pustu (its own desa); dinkes, fktp and kader get 403; a desa outside scope 404.
"""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from backend import clock
from backend.api.pws.blueprint import blp
from backend.api.pws.fields import MonthField
from backend.api.pws.scope import dashboard_scope, names_scope
from backend.db import read_transaction
from backend.pws import evaluation, xlsx
from backend.pws import kohort as registers
from backend.pws.months import HISTORY_YEARS


class KohortQuerySchema(Schema):
    desa = fields.String(required=True, metadata={"description": "Kode desa (Kemendagri)."})
    year = fields.Integer(metadata={
        "description": "Tahun kohort; bawaan tahun berjalan (zona Puskesmas). Paling lama "
                       f"{HISTORY_YEARS} tahun yang lalu."})


class KohortSchema(Schema):
    kind = fields.String(metadata={"description": "\"ibu\" or \"balita\""})
    title = fields.String()
    desa = fields.Dict()
    year = fields.Integer()
    sections = fields.List(fields.Dict(), metadata={
        "description": "{key, title, columns: [{key, label, group, kind}], rows: [{column "
                       "key: value}]}: residents, then those from outside the area"})


def _year(query: dict) -> int:
    """The kohort year: this local year by default, never a later one, at most five back."""
    this_year = clock.today().year
    year = query.get("year", this_year)
    if not this_year - HISTORY_YEARS <= year <= this_year:
        abort(422, message=f"Tahun {year} di luar rentang {this_year - HISTORY_YEARS}-"
                           f"{this_year}.",
              errors={"query": {"year": [f"{this_year - HISTORY_YEARS}-{this_year}"]}})
    return year


BUILDERS = {"ibu": registers.kohort_ibu, "balita": registers.kohort_balita}


def _kohort(kind: str, query: dict) -> registers.Kohort:
    scope = names_scope()
    desa = scope.one(query["desa"])
    year = _year(query)
    with read_transaction() as conn:
        return BUILDERS[kind](conn, desa, year, scope.desa)


def attachment(data: bytes, filename: str) -> Response:
    return Response(data, mimetype=xlsx.CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def kohort_filename(kohort: registers.Kohort) -> str:
    return f"kohort-{kohort.kind}-{kohort.desa['code']}-{kohort.year}.xlsx"


@blp.route("/kohort/<any(ibu, balita):kind>")
class KohortView(MethodView):
    @blp.arguments(KohortQuerySchema, location="query")
    @blp.response(200, KohortSchema)
    def get(self, query, kind):
        """Kohort Ibu or Kohort Bayi / Anak Balita of one desa and year, from the records."""
        return registers.as_json(_kohort(kind, query))


@blp.route("/kohort/<any(ibu, balita):kind>.xlsx")
class KohortWorkbook(MethodView):
    @blp.arguments(KohortQuerySchema, location="query")
    @blp.response(200, content_type=xlsx.CONTENT_TYPE)
    def get(self, query, kind):
        """The same kohort as an XLSX workbook: a sheet per section."""
        kohort = _kohort(kind, query)
        return attachment(xlsx.kohort_workbook(kohort), kohort_filename(kohort))


class MonthQuerySchema(Schema):
    month = MonthField(required=True)


class EvaluationSchema(Schema):
    month = fields.String()
    previous_month = fields.String()
    months_elapsed = fields.Integer()
    desa = fields.List(fields.Dict())
    clusters = fields.List(fields.Dict(), metadata={
        "description": "{cluster, label, indicators: [board indicator + cells + total]}"})
    status_counts = fields.List(fields.Dict(), metadata={
        "description": "per desa: indicators per status, open_flags, duplicates"})
    excludes_flagged = fields.Boolean(metadata={
        "description": "prevalences leave out growth values with open flags"})
    largest_gaps = fields.List(fields.Dict())
    denominators = fields.List(fields.Dict())
    followup = fields.List(fields.Dict(), allow_none=True, metadata={
        "description": "follow-up created for the previous month and its outcomes, per desa"})
    morbidity = fields.Dict(allow_none=True)


def _evaluation(query: dict) -> dict:
    scope = dashboard_scope()     # aggregates only: dinkes too, no name in the report
    month = query["month"]
    with read_transaction() as conn:
        return evaluation.report(conn, scope.desa, month)


@blp.route("/evaluation")
class EvaluationView(MethodView):
    @blp.arguments(MonthQuerySchema, location="query")
    @blp.response(200, EvaluationSchema)
    def get(self, query):
        """The monthly evaluation: status per desa and indicator by cluster, the largest
        gaps, the denominators used, last month's follow-up and the morbidity highlights."""
        return _evaluation(query)


@blp.route("/evaluation.xlsx")
class EvaluationWorkbook(MethodView):
    @blp.arguments(MonthQuerySchema, location="query")
    @blp.response(200, content_type=xlsx.CONTENT_TYPE)
    def get(self, query):
        """The monthly evaluation as a workbook: a summary, the largest gaps, a sheet per
        cluster, one for sasaran, one for follow-up, one for morbidity."""
        data = _evaluation(query)
        return attachment(xlsx.evaluation_workbook(data), f"evaluasi-pws-{data['month']}.xlsx")
