"""/api/v1/pws/fktp: the jejaring FKTP's finder, registration, case report and "my cases".

Only the `fktp` role; the rules live in backend/pws/fktp.py. Every write goes through the one
write path (backend/writes.py), so follow-up and PWS facts are derived as for any visit.
"""

from __future__ import annotations

import functools

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend import audit, clock
from backend.api.base import create_document, invalid, new_document, require
from backend.api.pws.blueprint import blp
from backend.auth.users import User
from backend.db import read_transaction, write_transaction
from backend.documents.fieldtypes import DesaCode
from backend.documents.schemas import validate_document
from backend.pws import fktp
from backend.sync import notify, reads
from backend.writes import write_docs

ROLE = "fktp"


def _caller() -> User:
    return require(ROLE)


def fktp_only(view):
    """Outermost on a view: the role is checked before its arguments are parsed, so another
    role learns nothing from a validation answer (401/403 first, then 422)."""
    @functools.wraps(view)
    def checked(*args, **kwargs):
        _caller()
        return view(*args, **kwargs)
    return checked


def _own_desa(user: User, desa: str | None) -> None:
    """A desa outside the account's area answers as an unknown one: 404."""
    if desa is not None and desa not in user.scopes:
        abort(404, message=f"Desa {desa!r} tidak dikenal atau di luar wilayah Anda.")


# --- schemas ------------------------------------------------------------------------------

class FindQuerySchema(Schema):
    nik = fields.String(validate=validate.Regexp(r"^\d{16}$", error="NIK harus 16 angka."))
    q = fields.String(validate=validate.Length(max=120),
                      metadata={"description": f"name, at least {fktp.NAME_MIN_CHARS} letters"})
    birth_year = fields.Integer(validate=validate.Range(min=1900, max=2100))
    desa = DesaCode()

    @validates_schema
    def _one_key(self, data, **kwargs):
        if not data.get("nik") and len((data.get("q") or "").strip()) < fktp.NAME_MIN_CHARS:
            raise ValidationError(
                f"Cari dengan NIK (16 angka) atau nama (minimal {fktp.NAME_MIN_CHARS} huruf).",
                "q")


class CasePersonSchema(Schema):
    """Who a case is about: enough to recognise the person, nothing clinical."""
    id = fields.String()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    desa = fields.String()
    desa_name = fields.String()


class FoundSchema(CasePersonSchema):
    """A finder match: also RT/RW and the NIK masked but for its last 4 digits."""
    rt = fields.String(allow_none=True)
    rw = fields.String(allow_none=True)
    nik_masked = fields.String(allow_none=True)


class FindResultSchema(Schema):
    items = fields.List(fields.Nested(FoundSchema))
    more = fields.Boolean(metadata={"description": "more matched: narrow the search"})


class RegisterSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    sex = fields.String(required=True, validate=validate.OneOf(["L", "P"]))
    birth_date = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})
    birth_date_estimated = fields.Boolean()
    nik = fields.String(validate=validate.Regexp(r"^\d{16}$", error="NIK harus 16 angka."))
    phone = fields.String()
    desa = DesaCode(required=True)
    head_name = fields.String(validate=validate.Length(max=120),
                              metadata={"description": "kepala keluarga (default: the person)"})
    rt = fields.String()
    rw = fields.String()
    address = fields.String()


class DiagnosisInSchema(Schema):
    icd10 = fields.String(required=True)
    case = fields.String(validate=validate.OneOf(["baru", "lama"]))


class MeasuredSchema(Schema):
    sbp = fields.Integer(allow_none=True)
    dbp = fields.Integer(allow_none=True)
    glucose_mgdl = fields.Float(allow_none=True)
    glucose_type = fields.String(allow_none=True, validate=validate.OneOf(["GDS", "GDP", "GD2PP"]))
    weight_kg = fields.Float(allow_none=True)


class CaseSchema(Schema):
    person = fields.String(required=True)
    date = fields.Date(required=True)
    place_name = fields.String(validate=validate.Length(min=1, max=80),
                               metadata={"description": "the FKTP (default: account name)"})
    provider = fields.String(validate=validate.Length(max=60),
                             metadata={"description": "the health worker who saw the case"})
    diagnoses = fields.List(fields.Nested(DiagnosisInSchema), validate=validate.Length(max=10))
    services = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                           validate=validate.Length(max=20))
    measurements = fields.Nested(MeasuredSchema)


class CaseTaskSchema(Schema):
    id = fields.String()
    reason = fields.String()
    due_date = fields.Date()
    status = fields.String()
    outcome_code = fields.String(allow_none=True)
    done_at = fields.String(allow_none=True)
    urgent = fields.Boolean(allow_none=True)


class CaseRowSchema(Schema):
    id = fields.String()
    date = fields.Date()
    provider = fields.String(allow_none=True)
    person = fields.Nested(CasePersonSchema)
    diagnoses = fields.List(fields.Dict())
    measurements = fields.Dict()
    tasks = fields.List(fields.Nested(CaseTaskSchema))


class CreatedSchema(Schema):
    id = fields.String()


# --- routes -------------------------------------------------------------------------------

@blp.route("/fktp/persons")
class FktpPersons(MethodView):
    @fktp_only
    @blp.arguments(FindQuerySchema, location="query")
    @blp.response(200, FindResultSchema)
    def get(self, query):
        """Find a person of the FKTP's area by exact NIK, or by name (narrowed by birth year
        or desa): identifying fields only, the NIK masked but its last 4 digits. Each person
        shown is audited (`record.open`, view `fktp.find`)."""
        user = _caller()
        _own_desa(user, query.get("desa"))
        find = fktp.Find(nik=query.get("nik"), name=(query.get("q") or "").strip() or None,
                         birth_year=query.get("birth_year"), desa=query.get("desa"))
        with read_transaction() as conn:
            items, more = fktp.find(conn, user, find)
        if items:
            with write_transaction() as conn:
                fktp.record_shown(conn, user, items, "nik" if find.nik else "name")
        return {"items": items, "more": more}

    @fktp_only
    @blp.arguments(RegisterSchema)
    @blp.response(201, FoundSchema)
    def post(self, body):
        """Register a person the finder did not find: a new household (headed by the person
        unless `head_name` says otherwise) and the person, in one transaction."""
        user = _caller()
        _own_desa(user, body["desa"])
        household_fields, person_fields = fktp.registration_fields(body)
        if body.get("nik"):
            with read_transaction() as conn:
                if fktp.nik_taken(conn, body["nik"]):
                    abort(409, message="NIK ini sudah terdaftar: cari dengan NIK.")
        household = new_document("household", household_fields, user)
        person = new_document("person", {**person_fields, "household": household["_id"]}, user)
        _write_together([household, person], user)
        with read_transaction() as conn:
            return fktp.identify(conn, user, person["_id"])


@blp.route("/fktp/cases")
class FktpCases(MethodView):
    @fktp_only
    @blp.response(200, CaseRowSchema(many=True))
    def get(self):
        """My cases: the `fktp` encounters this account reported, newest first (at most
        100), each with the follow-up tasks the server derived from it and their status and
        outcome code. Nothing else of the person's record."""
        user = _caller()
        with read_transaction() as conn:
            return fktp.my_cases(conn, user)

    @fktp_only
    @blp.arguments(CaseSchema)
    @blp.response(201, CreatedSchema)
    def post(self, body):
        """Report a case: an encounter with setting `fktp` for a person of the area, dated
        today or earlier (the Puskesmas's clock), ICD-10 codes from the PWA's list. Written
        through the one write path: follow-up tasks and PWS facts are derived from it."""
        user = _caller()
        body["diagnoses"] = [{**d, "icd10": d["icd10"].strip().upper().replace(",", ".")}
                             for d in body.get("diagnoses") or []]
        person = _person_in_area(body["person"], user)
        errors = fktp.case_errors(body, person, clock.today())
        if errors:
            invalid(errors)
        place = body.get("place_name") or user.display_name
        doc = create_document("encounter", fktp.case_fields(body, person, place), user)
        return {"id": doc["_id"]}


def _person_in_area(person_id: str, user: User) -> dict | None:
    """The person's document when it is a living person of the account's area, else None
    (unknown and outside the area look the same)."""
    if not person_id.startswith("person:"):
        return None
    try:
        with read_transaction() as conn:
            doc = reads.get_doc(conn, person_id, None, reads.ReadOptions())
    except reads.DocError:
        return None
    if doc.get("desa") not in user.scopes or doc.get("deceased_date"):
        return None
    return doc


class _Refused(Exception):
    pass


def _write_together(docs: list[dict], user: User) -> None:
    """All of `docs` through the one write path in one transaction, audited, or none."""
    for doc in docs:
        errors = validate_document(doc)
        if errors:
            invalid({doc["type"]: errors})
    try:
        with write_transaction() as conn:
            results = write_docs(conn, docs, user)
            refused = [r for r in results if not r.get("ok")]
            if refused:
                raise _Refused(refused[0].get("reason", "refused"))
            for doc, result in zip(docs, results, strict=True):
                audit.record(conn, actor=user, action="document.write", target_type=doc["type"],
                             target_id=doc["_id"], desa=doc.get("desa"),
                             detail={"rev": result["rev"], "fields": sorted(
                                 k for k in doc if not k.startswith("_") and k not in
                                 ("type", "schema", "created_at", "created_by"))})
    except _Refused as exc:
        abort(403, message=str(exc))
    notify.changed()
