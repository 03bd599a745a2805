"""Data-quality rules over one person's record: values that cannot be true or contradict each
other (JS twin: quality.js; rules and their sources in config/ilp/quality.json; docs/review.md
"Rules").

`quality_flags` is what the Puskesmas review queue shows (backend/review/flags.py keeps them
as the `quality_flags` projection); `entry_warnings` is the same evaluation for one draft on
the tablet, limited to the rules marked `warn_on_entry`. A flag is a warning, never a refusal:
the record is stored as typed. Every judgement that already has an evaluator is the
evaluator's (z-scores and the lying/standing correction: growth_zscores; which encounters
count: history.encounters, so a corrected encounter carries no flags, its correction does).
"""

from __future__ import annotations

from collections.abc import Callable

from backend.clinical import quality_measures as measures
from backend.clinical import quality_records as records_rules
from backend.clinical.errors import ClinicalInputError
from backend.clinical.quality_context import Record

DRAFT_ID = "draft"


def quality_flags(config: dict, person: dict, records: list[dict] | None = None,
                  growth: dict[str, dict | None] | None = None) -> list[dict]:
    """[{doc_id, doc_type, rule, field, detail, date}] of every rule firing on the person
    body and their encounter and pregnancy bodies (each with `_id`), ordered by record date,
    then record id, then the rule's place in quality.json. `growth`: z-scores already
    computed for some of these encounters (quality_context.Record `known`)."""
    ctx = Record(config, person, records or [], growth)
    found = []
    for order, rule in enumerate(config["quality"]["rules"]):
        try:
            hits = KINDS[rule["kind"]](ctx, rule)
        except ClinicalInputError:
            continue    # a value the evaluator cannot read: nothing to judge this rule on
        for doc, field, detail in hits:
            found.append((order, {"doc_id": doc.get("_id"), "doc_type": doc.get("type"),
                                  "rule": rule["id"], "field": field, "detail": detail,
                                  "date": record_date(doc)}))
    found.sort(key=lambda pair: (pair[1]["date"] or "", pair[1]["doc_id"] or "", pair[0]))
    return [flag for _, flag in found]


def entry_warnings(config: dict, person: dict, history: list[dict] | None = None,
                   draft: dict | None = None) -> list[dict]:
    """[{rule, field, label, detail}] of the `warn_on_entry` rules firing on `draft` (an
    encounter being recorded for `person`, or the person being registered or edited), judged
    against the person's stored `history` as the review will judge it after sync."""
    if draft is None or draft.get("type") == "person":
        person = {**(draft or person), "type": "person", "_id": DRAFT_ID}
        records = list(history or [])
    else:
        records = [*(history or []), {"type": "encounter", **draft, "_id": DRAFT_ID}]
    rules = {rule["id"]: rule for rule in config["quality"]["rules"] if rule["warn_on_entry"]}
    try:
        flags = quality_flags(config, person, records)
    except ClinicalInputError:
        return []    # a draft without a readable date or birth date: nothing to judge yet
    return [{"rule": flag["rule"], "field": flag["field"],
             "label": rules[flag["rule"]]["label"]["id"], "detail": flag["detail"]}
            for flag in flags if flag["doc_id"] == DRAFT_ID and flag["rule"] in rules]


def record_date(doc: dict) -> str | None:
    """The date a record belongs to (its month in the queue and in the counts): an encounter's
    date; a pregnancy's HPHT, else the day it was recorded; a person's registration day."""
    if doc.get("type") == "encounter":
        return doc.get("date")
    if doc.get("type") == "pregnancy" and doc.get("hpht"):
        return doc["hpht"]
    created = doc.get("created_at")
    return created[:10] if isinstance(created, str) else None


KINDS: dict[str, Callable[[Record, dict], list[measures.Hit]]] = {
    "implausible_z": measures.implausible_z, "height_shrink": measures.height_shrink,
    "weight_jump": measures.weight_jump, "pulse_pressure": measures.pulse_pressure,
    "glucose_without_type": measures.glucose_without_type,
    "hba1c_glucose": measures.hba1c_glucose, "missing_weight": measures.missing_weight,
    "missing_measure": measures.missing_measure,
    "nik_birth_date": records_rules.nik_birth_date, "nik_sex": records_rules.nik_sex,
    "pregnancy_without_hpht": records_rules.pregnancy_without_hpht,
    "before_birth": records_rules.before_birth, "after_death": records_rules.after_death,
    "anc_without_pregnancy": records_rules.anc_without_pregnancy,
    "anc_unlinked": records_rules.anc_unlinked,
}
"""What evaluates each `kind` of quality.json: a rule's id and parameters are data, the way
it reads a record is in quality_measures.py and quality_records.py."""
