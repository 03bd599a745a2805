"""Official targets (sasaran): CSV upload (kapus, admin), the stored figures and a template.

Thin: the file rules live in backend/pws/sasaran.py; this module checks role and scope, keeps
an oversized upload from being read, and turns a refused file into an RFC 7807 problem whose
`errors` lists `{line, reason}` for every bad row.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from backend import clock
from backend.api.base import require
from backend.api.pws.blueprint import blp
from backend.api.pws.scope import SASARAN_ROLES, dashboard_scope
from backend.db import read_transaction, write_transaction
from backend.pws import denominators
from backend.pws import sasaran as rules
from backend.pws.catalogue import catalogue
from backend.pws.months import Month, current_month

# A multipart body carries the file plus its part headers and boundaries: a few hundred bytes.
MULTIPART_SLACK = 64 * 1024


def _this_year() -> int:
    return clock.today().year


class YearQuerySchema(Schema):
    year = fields.Integer(
        validate=validate.Range(min=rules.OLDEST_YEAR),
        metadata={"description": "Tahun sasaran; bawaan tahun berjalan (zona Puskesmas)."})


class SasaranRowSchema(Schema):
    desa = fields.String()
    desa_name = fields.String()
    year = fields.Integer()
    group = fields.String()
    group_label = fields.String()
    value = fields.Integer(allow_none=True, metadata={
        "description": "Angka resmi; null: tidak ada, PWS memakai konvensi lalu penduduk "
                       "terdaftar."})
    source = fields.String(allow_none=True, metadata={"description": "\"resmi\" or null"})
    imported_at = fields.String(allow_none=True)
    imported_by = fields.String(allow_none=True)
    source_file = fields.String(allow_none=True)
    denominator = fields.Integer(metadata={
        "description": "What PWS divides by for this group: the official figure, else the "
                       "convention, else the registered persons (as of the current month, or "
                       "December of a past year)."})
    denominator_source = fields.String(metadata={"description": "resmi, konvensi, terdaftar"})


class ImportResultSchema(Schema):
    rows = fields.Integer(metadata={"description": "baris desa di berkas"})
    figures = fields.Integer(metadata={"description": "angka yang disimpan (sel terisi)"})
    years = fields.List(fields.Integer())
    groups = fields.List(fields.String())
    desa = fields.List(fields.String())


def _year(query: dict) -> int:
    year = query.get("year", _this_year())
    if year > _this_year() + 1:
        abort(422, message=f"Tahun {year} terlalu jauh ke depan.",
              errors={"query": {"year": [f"paling lambat {_this_year() + 1}"]}})
    return year


@blp.route("/sasaran")
class Sasaran(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, SasaranRowSchema(many=True))
    def get(self, query):
        """Every target group of every desa in the caller's scope for a year: the official
        figure with who imported it, when and from which file, or null where there is none,
        and the denominator PWS uses instead (docs/pws.md, "Sasaran")."""
        scope = dashboard_scope()
        year = _year(query)
        groups = catalogue().groups
        month = current_month()
        month = month if month.year == year else Month(year, 12)
        with read_transaction() as conn:
            names = rules.desa_names(conn)
            stored = {(r["desa"], r["target_group"]): r
                      for r in rules.stored(conn, year, scope.desa)}
            used = denominators.resolve(list(groups), scope.desa, [month], conn)
        rows = []
        for desa in scope.desa:
            for key, spec in groups.items():
                row = stored.get((desa, key), {})
                rows.append(dict(
                    desa=desa, desa_name=names.get(desa, desa), year=year, group=key,
                    group_label=spec.get("label", key), value=row.get("value"),
                    source="resmi" if row else None, imported_at=row.get("imported_at"),
                    imported_by=row.get("imported_by"), source_file=row.get("source_file"),
                    denominator=used[(month, desa, key)].value,
                    denominator_source=used[(month, desa, key)].source))
        return rows

    @blp.response(201, ImportResultSchema)
    @blp.alt_response(413, description="Berkas melebihi SASARAN_MAX_BYTES.")
    @blp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": "CSV sasaran (docs/pws.md, Sasaran)"}}}}}})
    def post(self):
        """Import official targets from a CSV (kapus, admin). All or nothing: any bad row →
        422 with `errors: [{line, reason}]` and nothing stored; a good file replaces the
        figures it names and leaves the others."""
        user = require(*SASARAN_ROLES)
        limit = current_app.config["SASARAN_MAX_BYTES"]
        try:
            # Before request.files parses (and spools) the body: a 50 MB upload is refused
            # from its Content-Length alone.
            rules.check_size(request.content_length, limit + MULTIPART_SLACK)
            upload = request.files.get("file")
            if upload is None:
                raise rules.SasaranError("Kirim berkas CSV di bagian `file` (multipart).",
                                         [(0, "tidak ada berkas")])
            data = rules.read_limited(upload.stream, limit)
            with write_transaction() as conn:
                result = rules.import_csv(conn, data, filename=upload.filename, actor=user,
                                          imported_by=user.username)
        except rules.SasaranError as exc:
            abort(exc.status, message=exc.message, errors=exc.as_dicts())
        return dict(rows=result.rows, figures=result.figures, years=list(result.years),
                    groups=list(result.groups), desa=list(result.desa))


@blp.route("/sasaran/template")
class SasaranTemplate(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, query):
        """A CSV to fill in: a row per desa in the caller's scope, a column per target group,
        pre-filled with the figures already stored for that year."""
        scope = dashboard_scope()
        year = _year(query)
        with read_transaction() as conn:
            names = rules.desa_names(conn)
            figures = {(r["desa"], r["target_group"]): r["value"]
                       for r in rules.stored(conn, year, scope.desa)}
        desa = {code: names.get(code, code) for code in scope.desa}
        text = rules.template(year, desa, catalogue().groups, figures)
        return Response(text.encode("utf-8"), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="sasaran-{year}.csv"'})
