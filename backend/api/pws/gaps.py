"""PWS drill-down and follow-up: `GET /gaps`, `POST /followup`, `GET /followup`
(docs/api.md, docs/pws.md "Drill-down and follow-up").

Thin views: scope and input are checked here, the sets and words come from
backend/pws/drilldown.py and the tasks from backend/pws/followup.py. Names are for the
names-scope roles only (kapus, klaster, admin; pustu in its own desa): dinkes gets 403, fktp
and kader 403; a desa outside the caller's area is a 404 like an unknown one.
"""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate

from backend.api.pws.blueprint import blp
from backend.api.pws.fields import MonthField
from backend.api.pws.scope import dashboard_scope, names_scope
from backend.clinical_config import ilp_config
from backend.db import read_transaction, write_transaction
from backend.documents.fieldtypes import DesaCode
from backend.pws import drilldown, followup
from backend.pws.catalogue import catalogue
from backend.sync import notify

MAX_PERSONS = 500   # persons one follow-up action may name (a desa's largest gap fits)


def _indicator(value: str) -> None:
    if value not in catalogue().ids:
        raise ValidationError(f"indikator {value!r} tidak dikenal")


class GapQuerySchema(Schema):
    indicator = fields.String(required=True, validate=_indicator)
    desa = DesaCode(required=True)
    month = MonthField(required=True)
    limit = fields.Integer(load_default=drilldown.DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=drilldown.LIMIT))


class GapPersonSchema(Schema):
    id = fields.String()
    name = fields.String()
    sex = fields.String()
    age_text = fields.String()
    household = fields.String(allow_none=True)
    rt = fields.String(allow_none=True)
    rw = fields.String(allow_none=True)
    posyandu = fields.String(allow_none=True)
    last_contact = fields.String(allow_none=True)
    missing = fields.String(allow_none=True)
    open_task = fields.String(allow_none=True)
    actionable = fields.Boolean(metadata={
        "description": "False when nothing can be done for the person today (the next dose not "
                       "yet due, the window closed): listed, not pre-selected for a task."})


class GapSchema(Schema):
    indicator = fields.String()
    desa = fields.String()
    month = fields.String()
    denominator_source = fields.String()
    total = fields.Integer(metadata={"description": "persons in the gap"})
    more = fields.Integer(metadata={"description": "persons in the gap not listed (limit)"})
    persons = fields.List(fields.Nested(GapPersonSchema))


class FollowupBodySchema(Schema):
    indicator = fields.String(required=True, validate=_indicator)
    desa = DesaCode(required=True)
    month = MonthField(required=True)
    persons = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                          validate=validate.Length(min=1, max=MAX_PERSONS),
                          metadata={"description": "person ids of the gap; all when absent"})


class FollowupResultSchema(Schema):
    created = fields.Integer()
    already_open = fields.Integer()
    closed = fields.Integer(metadata={"description": "persons whose task of this month was "
                                                     "already closed: not reopened"})
    task_ids = fields.List(fields.String())


class ProgressQuerySchema(Schema):
    month = MonthField(required=True)


class ProgressSchema(Schema):
    desa = fields.String()
    created = fields.Integer()
    open = fields.Integer()
    done = fields.Integer()
    cancelled = fields.Integer()
    outcomes = fields.Dict(keys=fields.String(), values=fields.Integer())


@blp.route("/gaps")
@blp.arguments(GapQuerySchema, location="query")
@blp.response(200, GapSchema)
def gaps(query: dict):
    """The persons behind one indicator's gap in one desa and month (names: not for dinkes)."""
    scope = names_scope()
    desa = scope.one(query["desa"])
    indicator = catalogue().get(query["indicator"])
    with read_transaction() as conn:
        gap = drilldown.drilldown(conn, ilp_config(), catalogue(), indicator, desa,
                                  query["month"], query["limit"])
    return {"indicator": gap.indicator, "desa": gap.desa, "month": gap.month,
            "denominator_source": drilldown.denominator_source(indicator),
            "total": gap.total, "more": gap.more, "persons": gap.persons}


@blp.route("/followup", methods=["POST"])
@blp.arguments(FollowupBodySchema)
@blp.response(201, FollowupResultSchema)
def create_followup(body: dict):
    """Tasks for the desa's Pustu, one per person of the gap (all of it, or `persons`).
    Idempotent; a person not in the gap refuses the whole request (422), nothing written."""
    scope = names_scope()
    desa = scope.one(body["desa"])
    cat = catalogue()
    indicator, month = cat.get(body["indicator"]), body["month"]
    with write_transaction() as conn:
        # Read and written in one transaction: the gap is the one the tasks are made from.
        asked = body.get("persons")
        if asked is None:
            wanted, total = drilldown.gap_person_ids(conn, cat, indicator, desa, month,
                                                     MAX_PERSONS)
            if total > len(wanted):
                abort(422, message=f"Kesenjangan {total} orang melebihi {MAX_PERSONS} per "
                                   f"permintaan: pilih orangnya (persons).")
            outside = []   # taken from the gap itself
        else:
            wanted = sorted(set(asked))
            outside = sorted(set(wanted) - drilldown.gap_members(conn, cat, indicator, desa,
                                                                 month, wanted))
        if outside:
            abort(422, message="Orang berikut tidak termasuk kesenjangan indikator ini di "
                               f"desa dan bulan itu: {', '.join(outside)}",
                  errors={"json": {"persons": outside}})
        missing = drilldown.missing_words(conn, ilp_config(), cat, indicator, month, wanted,
                                          drilldown.reference_day(month))
        try:
            outcome = followup.create(conn, scope.user, indicator, cat, desa, month,
                                      {pid: missing.get(pid) for pid in wanted})
        except followup.FollowupRefused as exc:
            abort(422, message=f"Tugas untuk {exc.person_id} ditolak: {exc.why}",
                  errors={"json": {"persons": [exc.person_id]}})
    notify.changed()
    return {"created": len(outcome.created), "already_open": len(outcome.already_open),
            "closed": len(outcome.closed), "task_ids": outcome.task_ids}


@blp.route("/followup")
@blp.arguments(ProgressQuerySchema, location="query")
@blp.response(200, ProgressSchema(many=True))
def followup_progress(query: dict):
    """Per desa of the caller, the PWS tasks of `month`: created, open, done, cancelled and
    the outcomes the Pustu recorded. Counts only, so dinkes sees them too."""
    scope = dashboard_scope()
    with read_transaction() as conn:
        return followup.progress(conn, scope.desa, query["month"], query["month"])

