"""What one encounter found, and the follow-up each finding calls for (JS twin: findings.js).

`encounter_findings` classifies everything an encounter recorded — measurements with the
classifiers and growth z-scores, screenings with their instrument, an explicit referral — as
the rows every form shows at once and the server derives follow-up from. `follow_ups` reads
config/ilp/followup.json: for each finding, the first rule whose `finding` and `when` match
gives one follow-up (a task for the desa's Pustu, or a referral to a Puskesmas cluster).
Both are pure; docs/clinical-rules.md "Findings and follow-up" describes the shapes.
"""

from __future__ import annotations

from backend.clinical import classifiers
from backend.clinical.instruments import score_instrument
from backend.clinical.lifestage import life_stage

TONE_OK = frozenset({"normal", "optimal", "gizi_baik", "sesuai", "mandiri", "bukan_terduga",
                     "bukan_perokok", "naik", "baru"})


def encounter_findings(config: dict, *, person: dict, encounter: dict,
                       history: list[dict] | None = None) -> list[dict]:
    """Every classification of one encounter, in form order (see the module docstring).

    Each finding: {finding, code (the category), label, value, tone ok|warn|bad, refer,
    and per kind `instrument` (screening) or `to`/`reason` (referral)}. Values the evaluator
    cannot classify (an age a rule does not cover) give no row; impossible values raise
    ClinicalInputError as every evaluator does.
    """
    date = encounter["date"]
    history = [doc for doc in history or [] if doc.get("_id") != encounter.get("_id")]
    stage = life_stage(config, person=person, history=history, date=date)
    subject = {"birth_date": person["birth_date"], "date": date}
    pregnant = "hamil" in stage["flags"]
    found: list[dict] = []
    measured = encounter.get("measurements") or {}
    if measured.get("sbp") is not None and measured.get("dbp") is not None:
        result = classifiers.classify_bp(config, sbp=measured["sbp"], dbp=measured["dbp"],
                                         **subject)
        _add(found, "bp", result, f"{measured['sbp']}/{measured['dbp']}")
    if measured.get("glucose_mgdl") is not None:
        result = classifiers.classify_glucose(config, glucose_mgdl=measured["glucose_mgdl"],
                                              glucose_type=measured.get("glucose_type", "GDS"))
        _add(found, "glucose", result, measured["glucose_mgdl"])
    for field, classify in (("muac_cm", classifiers.classify_muac),
                            ("hb_gdl", classifiers.classify_hb)):
        if measured.get(field) is not None:
            result = classify(config, **{field: measured[field]}, sex=person["sex"],
                              pregnant=pregnant, **subject)
            _add(found, field, result, measured[field])
    for screening in encounter.get("screenings") or []:
        _add_screening(config, found, person, screening, date)
    referral = encounter.get("referral")
    if referral and referral.get("to"):
        found.append({"finding": "referral", "code": "dirujuk", "label": "Dirujuk",
                      "value": referral["to"], "tone": "bad", "refer": True,
                      "to": referral["to"], "reason": referral.get("reason")})
    for row in found:
        row["flags"] = stage["flags"]
    return found


def follow_ups(config: dict, *, findings: list[dict]) -> list[dict]:
    """One follow-up per finding that a followup.json rule matches, in rule order, one per rule.

    Each: {rule, finding, label, reason (Indonesian, names the value), to pustu|puskesmas,
    cluster, due_in_days, urgent, source}. A referral finding's `to` comes from the encounter
    ("Pustu" or "Puskesmas"); every other rule names its own.
    """
    out: dict[str, dict] = {}
    for row in findings:
        rule = next((r for r in config["followup"]["rules"]
                     if r["finding"] == row["finding"] and _matches(r["when"], row)), None)
        if rule is None or rule["code"] in out:
            continue
        action = rule["action"]
        to = action["to"]
        if to == "referral":
            to = "puskesmas" if str(row.get("to", "")).lower().startswith("puskesmas") else "pustu"
        detail = row.get("reason") if row["finding"] == "referral" else row.get("label")
        reason = f"{rule['label']}: {detail} ({row['value']})" if detail else rule["label"]
        out[rule["code"]] = {"rule": rule["code"], "finding": row["finding"],
                             "label": rule["label"], "reason": reason[:300], "to": to,
                             "cluster": action.get("cluster"),
                             "due_in_days": action["due_in_days"],
                             "urgent": bool(action.get("urgent")), "source": rule["source"]}
    return list(out.values())


def _matches(when: dict, row: dict) -> bool:
    if "refer" in when and bool(row.get("refer")) != when["refer"]:
        return False
    if "category" in when and row.get("code") not in when["category"]:
        return False
    if "flag" in when and when["flag"] not in row.get("flags", []):
        return False
    return "instrument" not in when or row.get("instrument") in when["instrument"]


def _add(found: list[dict], finding: str, result: dict, value: object) -> None:
    code = result.get("category")
    if code is None:
        return
    refer = bool(result.get("refer"))
    tone = "bad" if refer else "ok" if code in TONE_OK else "warn"
    found.append({"finding": finding, "code": code, "label": result.get("label"),
                  "value": value, "tone": tone, "refer": refer})


def _add_screening(config: dict, found: list[dict], person: dict, screening: dict,
                   date: str) -> None:
    """A screening's result from its answers (the evaluator's, not the device's) when given."""
    instrument = screening.get("instrument")
    if instrument not in config["instruments"]["instruments"]:
        return
    if screening.get("answers"):
        result = score_instrument(config, instrument=instrument, answers=screening["answers"],
                                  sex=person.get("sex"), birth_date=person.get("birth_date"),
                                  date=date)
    elif screening.get("result"):
        spec = config["instruments"]["instruments"][instrument]
        code = screening["result"]
        result = {"result": code, "label": _result_label(spec, code),
                  "refer": code in spec.get("refer", [])}
    else:
        return
    refer = bool(result["refer"])
    found.append({"finding": "screening", "instrument": instrument, "code": result["result"],
                  "label": result["label"], "value": screening.get("score", result.get("score")),
                  "tone": "bad" if refer else "ok" if result["result"] in TONE_OK else "warn",
                  "refer": refer})


def _result_label(spec: dict, code: str) -> str | None:
    if isinstance(spec.get("results"), dict) and code in spec["results"]:
        return spec["results"][code]
    for band in spec.get("bands", []) + [b for g in spec.get("groups", []) for b in g["bands"]]:
        if band["code"] == code:
            return band["label"]
    return None
