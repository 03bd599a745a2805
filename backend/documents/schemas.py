"""Marshmallow schemas of every document type; replication writes and REST writes use them alike.

Documents are stored exactly as sent (revision hashes and replication depend on it): these
schemas only *validate*. Field names: docs/invariants.md §3, docs/domain.md; see docs/documents.md.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from backend.documents import fieldtypes as ft
from backend.documents.derived_ids import posyandu_visit_id
from backend.documents.fast_validation import compile_schema
from backend.documents.vocabulary import CLUSTERS, PLACE_CODE, PLACE_KINDS

SETTINGS = ("posyandu", "pustu", "puskesmas", "home", "fktp")
TASK_STATUSES = ("open", "in_progress", "done", "cancelled")
# How a follow-up ended: the person came (and was seen), did not come, was referred on,
# moved away, or died; or (a correction asked for by the Puskesmas review, docs/review.md)
# the record was corrected. Closes the task together with `outcome` (the result in words).
TASK_OUTCOMES = ("datang", "tidak_datang", "dirujuk", "pindah", "meninggal", "dikoreksi")


class DocumentSchema(Schema):
    """Fields every document carries; CouchDB's own `_` fields pass through."""

    class Meta:
        unknown = RAISE

    _id = fields.String(required=True, data_key="_id")
    _rev = fields.String(data_key="_rev")
    _revisions = fields.Dict(data_key="_revisions")
    _attachments = fields.Dict(data_key="_attachments")
    _deleted = ft.Bool(data_key="_deleted")
    _conflicts = fields.List(fields.String(), data_key="_conflicts")
    type = fields.String(required=True)
    schema = ft.Int(required=True, validate=validate.Range(min=1))
    desa = ft.DesaCode(required=True)
    created_at = ft.Timestamp(required=True)
    created_by = fields.String(required=True, validate=validate.Length(min=1, max=64))

    @validates_schema
    def _id_matches_type(self, data, **kwargs):
        if "_id" not in self.fields:
            return  # REST input: the server assigns the id
        prefix = f"{data.get('type')}:"
        if not data.get("_id", "").startswith(prefix) or len(data["_id"]) <= len(prefix):
            raise ValidationError(f"must be '<type>:<uuid>' with type '{data.get('type')}'",
                                  "_id")


class MutableSchema(DocumentSchema):
    """Types that are edited: per-field timestamps let the server merge conflicting edits."""

    updated_at = ft.Timestamp()
    updated_by = fields.String(validate=validate.Length(max=64))
    field_ts = fields.Dict(keys=fields.String(), values=ft.Timestamp())


class HouseholdSchema(MutableSchema):
    no_kk = ft.Digits(16)
    head_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = fields.String(validate=validate.Length(max=300))
    rt = fields.String(validate=validate.Regexp(r"^\d{1,3}$"))
    rw = fields.String(validate=validate.Regexp(r"^\d{1,3}$"))
    dusun = fields.String(validate=validate.Length(max=120))
    posyandu = ft.Ref("place")
    phone = ft.Phone()
    # PIS-PK: the 12 family indicators, each Y / T / N (docs/domain.md §7).
    pis_pk = fields.Dict(keys=fields.String(), values=fields.String(
        validate=validate.OneOf(["Y", "T", "N"])))


class PersonSchema(MutableSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    nik = ft.Digits(16)
    sex = fields.String(required=True, validate=validate.OneOf(["L", "P"]))
    birth_date = ft.PastDate(required=True)
    birth_date_estimated = ft.Bool()
    household = ft.Ref("household")
    relation = fields.String(validate=validate.OneOf(
        ["kepala", "istri", "suami", "anak", "menantu", "cucu", "orang_tua", "mertua",
         "famili", "lainnya"]))
    mother = ft.Ref("person")
    phone = ft.Phone()
    jkn = ft.Digits(13)
    posyandu = ft.Ref("place")
    deceased_date = ft.PastDate()
    # Set when the Puskesmas merged this duplicate into another person (docs/review.md,
    # "Merging"): the person stays stored, every record of it moves to `merged_into`, and a
    # device that still shows it follows the link. Cleared by an undo.
    merged_into = ft.Ref("person")


class DeliverySchema(Schema):
    class Meta:
        unknown = RAISE

    date = ft.PastDate(required=True)
    place_type = fields.String(validate=validate.OneOf(
        ["rs", "puskesmas", "pustu", "klinik", "pmb", "rumah", "lainnya"]))
    attendant = fields.String(validate=validate.OneOf(
        ["dokter", "bidan", "perawat", "dukun", "lainnya"]))
    mode = fields.String(validate=validate.OneOf(["spontan", "sc", "tindakan"]))
    live_births = ft.Int(validate=validate.Range(min=0, max=6))
    stillbirths = ft.Int(validate=validate.Range(min=0, max=6))
    babies = fields.List(ft.Ref("person"))


class PregnancySchema(MutableSchema):
    person = ft.Ref("person", required=True)
    hpht = ft.PastDate()
    hpl = fields.Date()
    gravida = ft.Int(validate=validate.Range(min=1, max=20))
    para = ft.Int(validate=validate.Range(min=0, max=20))
    abortus = ft.Int(validate=validate.Range(min=0, max=20))
    status = fields.String(required=True, validate=validate.OneOf(
        ["ongoing", "delivered", "ended"]))
    delivery = fields.Nested(DeliverySchema)
    risk_factors = fields.List(fields.String(validate=validate.Length(max=60)))


class MeasurementsSchema(Schema):
    """Physiological ranges only reject the impossible; clinical classification is elsewhere."""

    class Meta:
        unknown = RAISE

    weight_kg = ft.Num(validate=validate.Range(min=0.3, max=300))
    height_cm = ft.Num(validate=validate.Range(min=20, max=250))
    length_or_height = fields.String(validate=validate.OneOf(["lying", "standing"]))
    head_circ_cm = ft.Num(validate=validate.Range(min=15, max=70))
    muac_cm = ft.Num(validate=validate.Range(min=5, max=60))
    waist_cm = ft.Num(validate=validate.Range(min=20, max=250))
    sbp = ft.Int(validate=validate.Range(min=40, max=300))
    dbp = ft.Int(validate=validate.Range(min=20, max=200))
    temp_c = ft.Num(validate=validate.Range(min=30, max=45))
    glucose_mgdl = ft.Num(validate=validate.Range(min=10, max=1500))
    glucose_type = fields.String(validate=validate.OneOf(["GDS", "GDP", "GD2PP"]))
    hba1c_pct = ft.Num(validate=validate.Range(min=2, max=20))
    hb_gdl = ft.Num(validate=validate.Range(min=1, max=25))
    cholesterol_mgdl = ft.Num(validate=validate.Range(min=50, max=1000))
    oedema = ft.Bool()

    @validates_schema(skip_on_field_errors=False)
    def _pressure_order(self, data, **kwargs):
        if "sbp" in data and "dbp" in data and data["dbp"] >= data["sbp"]:
            raise ValidationError("diastolic must be below systolic", "dbp")
        if ("sbp" in data) != ("dbp" in data):
            raise ValidationError("systolic and diastolic go together", "dbp")


class ScreeningSchema(Schema):
    class Meta:
        unknown = RAISE

    instrument = fields.String(required=True, validate=validate.Length(min=1, max=40))
    answers = fields.Dict(keys=fields.String(), values=fields.Raw())
    score = ft.Num(allow_none=True)
    result = fields.String(validate=validate.Length(max=60))


class ImmunizationSchema(Schema):
    class Meta:
        unknown = RAISE

    vaccine = fields.String(required=True, validate=validate.Length(min=1, max=40))
    dose = ft.Int(validate=validate.Range(min=1, max=10))
    date = ft.PastDate()
    batch = fields.String(validate=validate.Length(max=40))
    expiry = fields.Date()
    timing = fields.String(validate=validate.OneOf(["ideal", "kejar"]))


class ServiceSchema(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    detail = fields.String(validate=validate.Length(max=200))
    quantity = ft.Num(validate=validate.Range(min=0))


class DiagnosisSchema(Schema):
    class Meta:
        unknown = RAISE

    icd10 = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z]\d{2}(\.\d{1,2})?$", error="not an ICD-10 code like A09 or E11.9"))
    case = fields.String(validate=validate.OneOf(["baru", "lama"]))
    text = fields.String(validate=validate.Length(max=200))


class LabResultSchema(Schema):
    """One result the Puskesmas laboratory reported (docs/flow.md "Lab and pharmacy"): a test
    of config/ilp/lab.json with a number (asam urat) or a coded result (reaktif, positif, +2).
    Results that are measurements (Hb, glucose, cholesterol, HbA1c) go in `measurements`, where
    the classifiers read them. Which codes and ranges a test allows is config; the flow checks
    them (backend/clinical/lab.py) before it writes."""

    class Meta:
        unknown = RAISE

    test = fields.String(required=True, validate=validate.Length(min=1, max=40))
    value = ft.Num()
    result = fields.String(validate=validate.Length(min=1, max=40))

    @validates_schema(skip_on_field_errors=False)
    def _one_kind(self, data, **kwargs):
        if ("value" in data) == ("result" in data):
            raise ValidationError("give either a value or a result", "result")


class PrescriptionSchema(Schema):
    """One item a clinician prescribed; the pharmacy marks what it dispensed (flow state)."""

    class Meta:
        unknown = RAISE

    drug = fields.String(required=True, validate=validate.Length(min=1, max=120))
    dose = fields.String(validate=validate.Length(max=60))        # "3 x 1 tablet"
    quantity = ft.Int(required=True, validate=validate.Range(min=1, max=1000))
    instructions = fields.String(validate=validate.Length(max=200))  # "sesudah makan"


class ReferralSchema(Schema):
    class Meta:
        unknown = RAISE

    to = fields.String(required=True, validate=validate.Length(min=1, max=120))
    reason = fields.String(validate=validate.Length(max=300))
    urgent = ft.Bool()


class EncounterSchema(DocumentSchema):
    """One visit. Written once; a correction is a new encounter with `corrects` set."""

    person = ft.Ref("person", required=True)
    date = ft.PastDate(required=True)
    setting = fields.String(required=True, validate=validate.OneOf(SETTINGS))
    place = ft.Ref("place")
    provider = fields.String(validate=validate.Length(max=120))
    cluster = fields.String(validate=validate.OneOf(CLUSTERS))
    posyandu_session = ft.Ref("posyandu_session")
    pregnancy = ft.Ref("pregnancy")
    measurements = fields.Nested(MeasurementsSchema)
    screenings = fields.List(fields.Nested(ScreeningSchema))
    immunizations = fields.List(fields.Nested(ImmunizationSchema))
    services = fields.List(fields.Nested(ServiceSchema))
    diagnoses = fields.List(fields.Nested(DiagnosisSchema))
    referral = fields.Nested(ReferralSchema)
    # The Puskesmas flow (docs/flow.md): tests the desk ordered (config/ilp/lab.json codes),
    # the lab's coded results, and what was prescribed.
    lab_orders = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                             validate=validate.Length(max=20))
    lab_results = fields.List(fields.Nested(LabResultSchema), validate=validate.Length(max=20))
    prescriptions = fields.List(fields.Nested(PrescriptionSchema),
                                validate=validate.Length(max=30))
    notes = fields.String(validate=validate.Length(max=2000))
    corrects = ft.Ref("encounter")


class TaskSchema(MutableSchema):
    """A follow-up for a Pustu (or a referral to a Puskesmas cluster). Derived tasks carry the
    record they came from (`origin`) and the config/ilp/followup.json rule (`rule`)."""

    person = ft.Ref("person")
    # A correction task about a pregnancy record (docs/review.md): the record to correct.
    pregnancy = ft.Ref("pregnancy")
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))
    due_date = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(TASK_STATUSES))
    assigned_place = ft.Ref("place")
    source = fields.String(validate=validate.Length(max=80))
    origin = ft.Ref("encounter")
    rule = fields.String(validate=validate.Length(min=1, max=40))
    # The rules a referral task stands for as well (the findings it absorbed).
    covers = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                         validate=validate.Length(max=40))
    cluster = fields.String(validate=validate.OneOf(CLUSTERS))
    urgent = ft.Bool()
    outcome_code = fields.String(validate=validate.OneOf(TASK_OUTCOMES))
    outcome = fields.String(validate=validate.Length(max=1000))
    done_at = ft.Timestamp()


class PosyanduSessionSchema(MutableSchema):
    posyandu = ft.Ref("place", required=True)
    date = fields.Date(required=True)
    status = fields.String(validate=validate.OneOf(["planned", "open", "closed"]))
    attendance = fields.List(ft.Ref("person"))
    kader = fields.List(fields.String(validate=validate.Length(max=64)))


class VisitScreeningSchema(ScreeningSchema):
    """A questionnaire done at the layanan table, with what the table shows of it until the
    visit becomes an encounter (which keeps only the ScreeningSchema fields)."""

    label = fields.String(validate=validate.Length(max=120))
    refer = ft.Bool()


# The tables after registration, each with its done-mark `done_<step>` on the visit.
POSYANDU_STEPS = ("ukur", "catat", "layanan", "penyuluhan")


class PosyanduVisitSchema(MutableSchema):
    """One person's progress through one Posyandu session, shared by the session's tablets.

    Its id is derived from the session and the person (documents/derived_ids.py), so two
    tablets registering the same person make one document. Each table's data and each
    done-mark is its own top-level field, so the per-field `field_ts` merge combines what
    different tablets did. When the last table is done it becomes one encounter."""

    posyandu_session = ft.Ref("posyandu_session", required=True)
    person = ft.Ref("person", required=True)
    date = fields.Date(required=True)  # the session's date: dates it for the device window
    measurements = fields.Nested(MeasurementsSchema)
    immunizations = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=40)),
                                values=fields.Nested(ImmunizationSchema))
    services = fields.List(fields.String(validate=validate.Length(min=1, max=40)))
    screenings = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=40)),
                             values=fields.Nested(VisitScreeningSchema))
    referral = fields.Nested(ReferralSchema)
    counselling = fields.List(fields.String(validate=validate.Length(min=1, max=60)))
    notes = fields.String(validate=validate.Length(max=2000))
    done_ukur = ft.Timestamp()
    done_catat = ft.Timestamp()
    done_layanan = ft.Timestamp()
    done_penyuluhan = ft.Timestamp()

    @validates_schema
    def _id_is_derived(self, data, **kwargs):
        if "_id" not in self.fields or "posyandu_session" not in data or "person" not in data:
            return
        if data.get("_id") != posyandu_visit_id(data["posyandu_session"], data["person"]):
            raise ValidationError("must be the id derived from the session and the person "
                                  "(one visit per person and session)", "_id")


class SubscriptionInviteSchema(MutableSchema):
    """A QR code a kader or bidan showed a family (docs/push.md, "Family subscription").

    The tablet draws a random token offline and shows it in the QR; the document holds only
    its SHA-256, so the token says nothing by itself and nobody who reads the document can use
    it. The server marks it `used_at` when the family subscribes with it (one use); the tablet
    may revoke it."""

    household = ft.Ref("household", required=True)
    token_hash = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}\Z"))
    expires_at = ft.Timestamp(required=True)
    used_at = ft.Timestamp()
    revoked_at = ft.Timestamp()


class SubscriptionConsentSchema(MutableSchema):
    """A family's consent to reminders (given on its own phone, from an invite), or its
    revocation ("Berhenti", on the family page or told to the kader): docs/push.md."""

    household = ft.Ref("household", required=True)
    person = ft.Ref("person")
    invite = ft.Ref("subscription_invite")
    given_at = ft.Timestamp(required=True)
    given_by = fields.String(required=True, validate=validate.Length(min=1, max=120))
    revoked_at = ft.Timestamp()


class PlaceSchema(MutableSchema):
    """Reference document (server-authored): Puskesmas, desa, Pustu, Posyandu."""

    kind = fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    code = fields.String(validate=validate.Regexp(PLACE_CODE))
    parent = ft.Ref("place")
    dusun = fields.String(validate=validate.Length(max=120))
    address = fields.String(validate=validate.Length(max=300))
    schedule_day = ft.Int(validate=validate.Range(min=1, max=28))
    desa = ft.DesaCode(allow_none=True, required=True)


class IlpConfigSchema(DocumentSchema):
    """Reference document: the clinical knowledge version devices should use."""

    desa = ft.DesaCode(allow_none=True, required=True)
    version = fields.String(required=True)
    files = fields.Dict(keys=fields.String(), values=fields.Raw())


SCHEMAS: dict[str, type[DocumentSchema]] = {
    "household": HouseholdSchema,
    "person": PersonSchema,
    "pregnancy": PregnancySchema,
    "encounter": EncounterSchema,
    "task": TaskSchema,
    "posyandu_session": PosyanduSessionSchema,
    "posyandu_visit": PosyanduVisitSchema,
    "subscription_invite": SubscriptionInviteSchema,
    "subscription_consent": SubscriptionConsentSchema,
    "place": PlaceSchema,
    "ilp_config": IlpConfigSchema,
}
MUTABLE_TYPES = frozenset(t for t, s in SCHEMAS.items() if issubclass(s, MutableSchema))
_INSTANCES = {name: cls() for name, cls in SCHEMAS.items()}
_ACCEPTS = {name: compile_schema(schema) for name, schema in _INSTANCES.items()}


def validate_document(doc: dict) -> dict[str, list]:
    """Errors keyed by field (empty when valid). Tombstones need only `_id`."""
    if not isinstance(doc, dict):
        return {"_schema": ["a document must be a JSON object"]}
    if doc.get("_deleted") is True:
        return {}
    doc_type = doc.get("type")
    schema = _INSTANCES.get(doc_type) if isinstance(doc_type, str) else None
    if schema is None:
        return {"type": [f"unknown document type {doc_type!r}"]}
    if _ACCEPTS[doc_type](doc):
        return {}  # the compiled fast path (fast_validation.py); marshmallow writes errors
    return schema.validate(doc)


def describe_errors(errors: dict) -> str:
    """One readable line naming every failing field: `person.birth_date: in the future`."""
    parts: list[str] = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            parts.append(f"{prefix}: {'; '.join(value)}")
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                walk(f"{prefix}[{index}]", sub)
        else:
            parts.append(f"{prefix}: {value}")

    walk("", errors)
    return ", ".join(parts)
