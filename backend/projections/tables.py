"""Relational read model: rows derived from the winning revision of each document.

Nothing writes these tables except backend/projections (same transaction as the document
write, or `flask reproject`). Every row carries `desa` so reads can be scoped cheaply.
"""

from __future__ import annotations

import sqlalchemy as sa

from backend.db import metadata

ID = sa.String(200)
DESA = sa.String(16)


def _table(name: str, *columns: sa.Column, indexes: tuple = ()) -> sa.Table:
    return sa.Table(name, metadata, *columns, *indexes)


places = _table(
    "places",
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("code", sa.String(10)),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("parent_id", ID),
    sa.Column("desa", DESA),
    sa.Column("schedule_day", sa.Integer),
    sa.Column("dusun", sa.String(120)),  # a Posyandu's dusun: the admin's list shows it
    indexes=(sa.Index("ix_places_kind_code", "kind", "code"),),
)

households = _table(
    "households",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False, index=True),
    sa.Column("no_kk", sa.String(16), index=True),
    sa.Column("head_name", sa.String(120), nullable=False),
    sa.Column("name_key", sa.String(120), nullable=False, index=True),
    sa.Column("address", sa.String(300)),
    sa.Column("rt", sa.String(3)),
    sa.Column("rw", sa.String(3)),
    sa.Column("dusun", sa.String(120)),
    sa.Column("posyandu_id", ID),
    sa.Column("phone", sa.String(16)),
)

persons = _table(
    "persons",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("household_id", ID, index=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("name_key", sa.String(120), nullable=False),
    sa.Column("nik", sa.String(16), index=True),
    sa.Column("sex", sa.String(1), nullable=False),
    sa.Column("birth_date", sa.Date, nullable=False),
    sa.Column("birth_date_estimated", sa.Boolean, nullable=False),
    sa.Column("relation", sa.String(16)),
    sa.Column("mother_id", ID),
    sa.Column("phone", sa.String(16)),
    sa.Column("jkn", sa.String(13)),
    sa.Column("posyandu_id", ID),
    sa.Column("deceased_date", sa.Date),
    # A duplicate merged into another person (docs/review.md): every list of the living,
    # every count and every search leaves it out.
    sa.Column("merged_into_id", ID, index=True),
    # The day of `created_at`: the record date of a registration, by which the review counts
    # a desa's month (docs/review.md, "The review queue").
    sa.Column("registered_on", sa.Date),
    indexes=(sa.Index("ix_persons_desa_name_key", "desa", "name_key"),
             sa.Index("ix_persons_desa_birth_date", "desa", "birth_date"),
             sa.Index("ix_persons_desa_registered_on", "desa", "registered_on")),
)

pregnancies = _table(
    "pregnancies",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False, index=True),
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("hpht", sa.Date),
    sa.Column("hpl", sa.Date),
    sa.Column("gravida", sa.Integer),
    sa.Column("para", sa.Integer),
    sa.Column("abortus", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("delivery_date", sa.Date),
    sa.Column("delivery_place_type", sa.String(16)),
    sa.Column("delivery_attendant", sa.String(16)),
    sa.Column("live_births", sa.Integer),
    sa.Column("registered_on", sa.Date),   # the day of `created_at` (record date without HPHT)
)

# A visit's measurements, one column per field of MeasurementsSchema
# (backend/documents/schemas.py; tests/store/test_projections.py keeps the two equal).
# Columns rather than one row per value: a PWS query reads a visit's weight and blood
# pressure from the row it already filters by desa and date, and a replicated visit costs
# one insert instead of three or four.
MEASUREMENT_COLUMNS = (
    sa.Column("weight_kg", sa.Float),
    sa.Column("height_cm", sa.Float),
    sa.Column("length_or_height", sa.String(8)),
    sa.Column("head_circ_cm", sa.Float),
    sa.Column("muac_cm", sa.Float),
    sa.Column("waist_cm", sa.Float),
    sa.Column("sbp", sa.Integer),
    sa.Column("dbp", sa.Integer),
    sa.Column("temp_c", sa.Float),
    sa.Column("glucose_mgdl", sa.Float),
    sa.Column("glucose_type", sa.String(8)),
    sa.Column("hba1c_pct", sa.Float),
    sa.Column("hb_gdl", sa.Float),
    sa.Column("cholesterol_mgdl", sa.Float),
    sa.Column("oedema", sa.Boolean),
)
MEASUREMENTS = tuple(column.name for column in MEASUREMENT_COLUMNS)

encounters = _table(
    "encounters",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("setting", sa.String(16), nullable=False),
    sa.Column("place_id", ID),
    sa.Column("provider", sa.String(120)),
    sa.Column("cluster", sa.String(8)),
    sa.Column("posyandu_session_id", ID),
    sa.Column("pregnancy_id", ID, index=True),
    sa.Column("corrects_id", ID, index=True),
    sa.Column("referral_to", sa.String(120)),
    sa.Column("created_at", sa.String(40), nullable=False),
    *MEASUREMENT_COLUMNS,
    indexes=(sa.Index("ix_encounters_desa_date", "desa", "date"),),
)

def _encounter_child(name: str, *columns: sa.Column) -> sa.Table:
    """Rows that belong to one encounter: keyed by it, denormalised for PWS queries."""
    return _table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("encounter_id", ID, nullable=False, index=True),
        sa.Column("person_id", ID, nullable=False),  # unindexed: reached via the encounter
        sa.Column("desa", DESA, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        *columns,
        indexes=(sa.Index(f"ix_{name}_desa_date", "desa", "date"),),
    )


screenings = _encounter_child(
    "screenings",
    sa.Column("instrument", sa.String(40), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("result", sa.String(60)),
)
immunizations = _encounter_child(
    "immunizations",
    sa.Column("vaccine", sa.String(40), nullable=False),
    sa.Column("dose", sa.Integer),
    sa.Column("timing", sa.String(8)),
)
services = _encounter_child(
    "services",
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("detail", sa.String(200)),
)
diagnoses = _encounter_child(
    "diagnoses",
    sa.Column("icd10", sa.String(8), nullable=False),
    sa.Column("case_type", sa.String(8)),
)

tasks = _table(
    "tasks",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("person_id", ID, index=True),
    sa.Column("reason", sa.String(300), nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("assigned_place_id", ID),
    sa.Column("source", sa.String(80)),
    sa.Column("outcome", sa.String(1000)),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("done_at", sa.String(40)),
    # Derived follow-up (docs/followup.md): the visit it came from and the followup.json rule;
    # the deriver looks up a person's open tasks by rule, the PWA a visit's tasks by origin.
    sa.Column("origin_id", ID, index=True),
    sa.Column("rule", sa.String(40)),
    sa.Column("cluster", sa.String(8)),
    sa.Column("urgent", sa.Boolean),
    sa.Column("outcome_code", sa.String(16)),
    sa.Column("pregnancy_id", ID),   # a correction task about a pregnancy (docs/review.md)
    indexes=(sa.Index("ix_tasks_desa_status_due_date", "desa", "status", "due_date"),),
)

posyandu_sessions = _table(
    "posyandu_sessions",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("posyandu_id", ID, nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("status", sa.String(16)),
    sa.Column("attendance_count", sa.Integer, nullable=False),
)

# Reminders (docs/push.md): the QR invites shown to families and the consents they gave. The
# server finds an invite by the hash of the token a family brings, and the scheduler sends only
# to households whose latest consent is not revoked.
subscription_invites = _table(
    "subscription_invites",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("household_id", ID, nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, index=True),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("used_at", sa.String(40)),
    sa.Column("revoked_at", sa.String(40)),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

subscription_consents = _table(
    "subscription_consents",
    sa.Column("id", ID, primary_key=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("household_id", ID, nullable=False, index=True),
    sa.Column("person_id", ID),
    sa.Column("invite_id", ID),
    sa.Column("given_at", sa.String(40), nullable=False),
    sa.Column("given_by", sa.String(120), nullable=False),
    sa.Column("revoked_at", sa.String(40)),
)

# Person-level facts PWS counts (docs/pws.md), derived by the clinical evaluator from a person's
# whole record (backend/pws/facts.py) and rebuilt for every person a write touches: a weighing's
# z-scores and weight trend need the birth date and the previous weighing, an IDL date the
# whole immunization history. PWS then counts rows with SQL and never re-implements a rule.
growth_points = _table(
    "growth_points",
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("encounter_id", ID, nullable=False),
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("desa", DESA, nullable=False),        # the person's desa: PWS counts residents
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("setting", sa.String(16), nullable=False),
    sa.Column("age_days", sa.Integer, nullable=False),
    sa.Column("sex", sa.String(1), nullable=False),
    sa.Column("weight_kg", sa.Float),
    sa.Column("height_cm", sa.Float),
    sa.Column("waz", sa.Float),                     # BB/U
    sa.Column("haz", sa.Float),                     # TB/U (PB/U)
    sa.Column("whz", sa.Float),                     # BB/TB (BB/PB)
    sa.Column("bbu", sa.String(24)),                # category codes of growth.json
    sa.Column("tbu", sa.String(24)),
    sa.Column("bbtb", sa.String(24)),
    sa.Column("trend", sa.String(32)),              # growth.json weight_trend code (N/T/B/O)
    sa.Column("two_t", sa.Boolean),
    indexes=(sa.Index("ix_growth_points_desa_date", "desa", "date"),),
)

# One row per dated milestone of a person ("K4 reached on", "IDL complete on", "vitamin A
# given on"): the event codes are listed in docs/pws.md and used by config/ilp/pws.json.
pws_events = _table(
    "pws_events",
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("desa", DESA, nullable=False),        # the person's desa
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("setting", sa.String(16)),            # where it happened (fktp cases show it)
    sa.Column("ref_id", ID),                        # the pregnancy or encounter it rests on
    sa.Column("value", sa.String(32)),
    indexes=(sa.Index("ix_pws_events_desa_event_date", "desa", "event", "date"),),
)

# What the data-quality rules (config/ilp/quality.json, backend/clinical/quality.py) find in
# a person's records: one row per rule that fires on one record (docs/review.md, "Rules").
# Rebuilt per person on every write like the PWS facts (backend/review/flags.py). Whether a
# reviewer verified the record is not here: that is review state (backend/review/tables.py).
quality_flags = _table(
    "quality_flags",
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", ID, nullable=False, index=True),   # the flagged record
    sa.Column("doc_type", sa.String(40), nullable=False),  # person, encounter or pregnancy
    sa.Column("person_id", ID, nullable=False, index=True),
    sa.Column("desa", DESA, nullable=False),
    sa.Column("date", sa.Date, nullable=False),            # the record's date (docs/review.md)
    sa.Column("rule", sa.String(40), nullable=False),      # quality.json rule id
    sa.Column("field", sa.String(60)),                     # e.g. measurements.height_cm
    sa.Column("detail", sa.String(300)),                   # what fired, in Indonesian words
    indexes=(sa.Index("ix_quality_flags_desa_date", "desa", "date"),),
)

# Possible duplicate persons (config/ilp/duplicates.json, backend/clinical/duplicates.py): one
# row per pair, `person_a` < `person_b`, rebuilt for every person a write touches
# (backend/review/duplicates.py). A pair a reviewer declared "bukan orang yang sama" is review
# state (backend/review/tables.py duplicate_verdicts), not removed from here.
duplicate_pairs = _table(
    "duplicate_pairs",
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_a", ID, nullable=False, index=True),
    sa.Column("person_b", ID, nullable=False, index=True),
    sa.Column("desa_a", DESA, nullable=False),
    sa.Column("desa_b", DESA, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.String(200), nullable=False),  # reason codes, comma-separated
    sa.Column("date", sa.Date, nullable=False),  # the later registration (docs/review.md)
    indexes=(sa.Index("ix_duplicate_pairs_desa_a_date", "desa_a", "date"),
             sa.Index("ix_duplicate_pairs_desa_b_date", "desa_b", "date")),
)

READ_MODEL = (places, households, persons, pregnancies, encounters, screenings, immunizations,
              services, diagnoses, tasks, posyandu_sessions, growth_points, pws_events,
              quality_flags, duplicate_pairs)
