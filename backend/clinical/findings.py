"""What one encounter found (JS twin: findings.js).

`encounter_findings` classifies everything an encounter can record — blood pressure, glucose,
adult BMI, waist, LiLA, Hb, temperature, a child's z-scores and weight trend (naik / T / 2T),
every screening instrument including the danger signs, the coded lab results (lab.json:
HIV, sifilis, HBsAg, BTA, TCM, protein urin...), an explicit referral — as the rows
every form shows at once and the server derives follow-up from. What a finding needs from
the past (earlier weighings, an ongoing pregnancy) comes from `history`, the person's
encounter and pregnancy documents. `follow_ups` (followup_rules.py) turns the rows into
tasks. Both are pure; docs/clinical-rules.md "Findings and follow-up" describes the shapes.
"""

from __future__ import annotations

from backend.clinical import classifiers
from backend.clinical.dates import in_age_range, parse_date
from backend.clinical.finding_text import finding_text
from backend.clinical.followup_rules import follow_ups, rule_for
from backend.clinical.growth import growth_zscores
from backend.clinical.growth_trend import weight_trend
from backend.clinical.instruments import score_instrument
from backend.clinical.lifestage import life_stage

__all__ = ["TONE_OK", "encounter_findings", "follow_ups", "screening_result"]

# Categories that need nothing: shown green. Everything else is amber, or red when the
# classifier refers or the follow-up is urgent.
TONE_OK = frozenset({"normal", "optimal", "gizi_baik", "sesuai", "mandiri", "bukan_terduga",
                     "bukan_perokok", "naik", "baru", "tidak_ada"})
ADULT_STAGES = ("dewasa", "lansia")
BALITA_INDICES = ("bb_u", "tb_u", "bb_tb")
OLDER_CHILD_INDICES = ("tb_u", "imt_u")


def encounter_findings(config: dict, *, person: dict, encounter: dict,
                       history: list[dict] | None = None) -> list[dict]:
    """Every classification of one encounter, in form order.

    Each row: {finding, code, label, value, text (Indonesian), tone ok|warn|bad, refer,
    rule (the followup.json rule it leads to, or None), flags, stage} and per kind `name`,
    `instrument`, `positive`, `urgent`, `two_t`, `gain_g`, `kbm_g`, `to`/`reason`. Values a
    rule does not cover (Hb of a 3-month-old) give no row; impossible values raise
    ClinicalInputError as every evaluator does.
    """
    date = encounter.get("date")
    history = [doc for doc in history or [] if doc.get("_id") != encounter.get("_id")]
    stage = life_stage(config, person=person, history=history, date=date)
    ctx = {"config": config, "person": person, "date": date, "history": history,
           "stage": stage, "pregnant": "hamil" in stage["flags"],
           "subject": {"birth_date": person.get("birth_date"), "date": date}}
    measured = encounter.get("measurements") or {}
    found: list[dict] = []
    for collect in MEASUREMENT_COLLECTORS:
        found += collect(ctx, measured)
    for screening in encounter.get("screenings") or []:
        found += _screening(ctx, screening)
    found += _lab(ctx, encounter.get("lab_results") or [])
    found += _referral(encounter.get("referral"))
    return [_finish(config, stage, row) for row in found]


def _finish(config: dict, stage: dict, row: dict) -> dict:
    row["flags"], row["stage"] = stage["flags"], stage["code"]
    rule = rule_for(config, row)
    row["rule"] = None if rule is None else rule["code"]
    urgent = rule is not None and rule["action"].get("urgent")
    normal = row["code"] in TONE_OK or bool(row.get("normal"))
    row["tone"] = "bad" if row["refer"] or urgent else "ok" if rule is None and normal else "warn"
    row["text"] = finding_text(config, row)
    return row


def _row(finding: str, result: dict, value: object, **extra) -> list[dict]:
    code = result.get("category")
    if code is None:
        return []
    return [{"finding": finding, "code": code, "label": result.get("label"), "value": value,
             "refer": bool(result.get("refer")), **extra}]


def _bp(ctx: dict, m: dict) -> list[dict]:
    if m.get("sbp") is None or m.get("dbp") is None:
        return []
    result = classifiers.classify_bp(ctx["config"], sbp=m["sbp"], dbp=m["dbp"], **ctx["subject"])
    return _row("bp", result, f"{m['sbp']}/{m['dbp']}")


def _glucose(ctx: dict, m: dict) -> list[dict]:
    if m.get("glucose_mgdl") is None and m.get("hba1c_pct") is None:
        return []
    kind = m.get("glucose_type") or "GDS"
    result = classifiers.classify_glucose(
        ctx["config"], glucose_mgdl=m.get("glucose_mgdl"), hba1c_pct=m.get("hba1c_pct"),
        glucose_type=kind if m.get("glucose_mgdl") is not None else None)
    return _row("glucose", result, m.get("glucose_mgdl"), name=kind,
                hba1c_pct=m.get("hba1c_pct"))


def _adult_body(ctx: dict, m: dict) -> list[dict]:
    """Adult BMI and waist; not in pregnancy, when both describe the pregnancy, not the
    person."""
    if ctx["pregnant"] or ctx["stage"]["code"] not in ADULT_STAGES:
        return []
    config, rows = ctx["config"], []
    if m.get("weight_kg") is not None and m.get("height_cm") is not None:
        result = classifiers.classify_bmi(config, weight_kg=m["weight_kg"],
                                          height_cm=m["height_cm"], **ctx["subject"])
        rows += _row("bmi", result, result["bmi"])
    if m.get("waist_cm") is not None:
        result = classifiers.classify_waist(config, waist_cm=m["waist_cm"],
                                            sex=ctx["person"].get("sex"))
        rows += _row("waist_cm", result, m["waist_cm"])
    return rows


def _grouped(ctx: dict, m: dict) -> list[dict]:
    """LiLA (KEK, wasting) and Hb (anaemia): their group follows age, sex and pregnancy."""
    rows = []
    for field, classify in (("muac_cm", classifiers.classify_muac),
                            ("hb_gdl", classifiers.classify_hb)):
        if m.get(field) is not None:
            result = classify(ctx["config"], **{field: m[field]}, sex=ctx["person"].get("sex"),
                              pregnant=ctx["pregnant"], **ctx["subject"])
            rows += _row(field, result, m[field])
    return rows


def _fever(ctx: dict, m: dict) -> list[dict]:
    if m.get("temp_c") is None:
        return []
    return _row("temp_c", classifiers.classify_fever(ctx["config"], temp_c=m["temp_c"]),
                m["temp_c"])


def _growth(ctx: dict, m: dict) -> list[dict]:
    """Z-score categories of a child: BB/U, PB/U-TB/U, BB/PB-BB/TB under five, then TB/U
    and IMT/U (adults use BMI; a pregnant girl's weight describes the pregnancy)."""
    if (ctx["stage"]["code"] in ADULT_STAGES or ctx["pregnant"]
            or (m.get("weight_kg") is None and m.get("height_cm") is None)):
        return []
    person = ctx["person"]
    result = growth_zscores(ctx["config"], sex=person.get("sex"), weight_kg=m.get("weight_kg"),
                            height_cm=m.get("height_cm"), measure=m.get("length_or_height"),
                            oedema=bool(m.get("oedema")), **ctx["subject"])
    wanted = BALITA_INDICES if _under_five(ctx) else OLDER_CHILD_INDICES
    rows = []
    for index in wanted:
        entry = result["indices"].get(index)
        if entry is not None:
            name = f"{entry['name']} (edema bilateral)" if entry.get("reason") == "edema" \
                else entry["name"]
            rows += _row(index, entry, entry["z"], name=name,
                         implausible=bool(entry.get("implausible")))
    return rows


def _trend(ctx: dict, m: dict) -> list[dict]:
    if m.get("weight_kg") is None or not _under_five(ctx):
        return []
    trend = weight_trend(ctx["config"], person=ctx["person"], history=ctx["history"],
                         date=ctx["date"], weight_kg=m["weight_kg"])
    if trend["code"] is None:
        return []
    return [{"finding": "weight_trend", "code": trend["code"], "label": trend["label"],
             "value": m["weight_kg"], "refer": False, "two_t": trend["two_t"],
             "letter": trend["letter"], "gain_g": trend["gain_g"], "kbm_g": trend["kbm_g"]}]


def _under_five(ctx: dict) -> bool:
    until = ctx["config"]["growth"]["weight_trend"]["until_age_months"]
    birth = parse_date(ctx["person"].get("birth_date"), "person.birth_date")
    return in_age_range(birth, parse_date(ctx["date"], "date"), ["P0D", f"P{until}M"])


MEASUREMENT_COLLECTORS = (_bp, _glucose, _adult_body, _grouped, _fever, _growth, _trend)


def _screening(ctx: dict, screening: dict) -> list[dict]:
    """A screening's result from its answers (the evaluator's, never the device's), else
    from a KPSP-style count of 'ya', else from the stored result."""
    config = ctx["config"]
    instrument = screening.get("instrument")
    spec = config["instruments"]["instruments"].get(instrument)
    if spec is None:
        return []
    person = {"sex": ctx["person"].get("sex"), **ctx["subject"]}
    if screening.get("answers"):
        result = score_instrument(config, instrument=instrument, answers=screening["answers"],
                                  **person)
    elif screening.get("score") is not None and spec.get("count_entry") == "ya_count":
        result = score_instrument(config, instrument=instrument, ya_count=screening["score"],
                                  **person)
    elif screening.get("result"):
        code = screening["result"]
        result = {"result": code, "label": _result_label(spec, code),
                  "refer": code in spec.get("refer", []), "score": screening.get("score")}
    else:
        return []
    return [{"finding": "screening", "instrument": instrument, "code": result["result"],
             "label": result["label"], "value": result.get("score"),
             "refer": bool(result["refer"]), "urgent": bool(result.get("urgent")),
             "positive": _positive(spec, screening.get("answers"), result)}]


def screening_result(config: dict, *, person: dict, date: str, screening: dict) -> dict | None:
    """One recorded screening's result as `encounter_findings` reads it (answers scored by
    the evaluator first, then a 'ya' count, then the stored result): {code, refer, ...}, or
    None for an unknown instrument or an empty record. For callers that need one
    instrument's verdict (PWS: terduga TB) without classifying the whole visit."""
    ctx = {"config": config, "person": person,
           "subject": {"birth_date": person.get("birth_date"), "date": date}}
    rows = _screening(ctx, screening)
    return rows[0] if rows else None


def _positive(spec: dict, answers: dict | None, result: dict) -> list[str]:
    """What was found, by name: SKILAS domains, or the danger signs answered 'ya'."""
    if result.get("positive_domains"):
        labels = {domain["id"]: domain["label"] for domain in spec["domains"]}
        return [labels[code] for code in result["positive_domains"]]
    if spec.get("list_positive") and answers:
        return [item["short"] for item in spec["items"] if answers.get(item["id"]) in (True, 1)]
    return []


def _result_label(spec: dict, code: str) -> str | None:
    if isinstance(spec.get("results"), dict) and code in spec["results"]:
        return spec["results"][code]
    for band in spec.get("bands", []) + [b for g in spec.get("groups", []) for b in g["bands"]]:
        if band["code"] == code:
            return band["label"]
    return None


def _lab(ctx: dict, results: list[dict]) -> list[dict]:
    """A row per coded lab result (lab.json `categorical` tests) with the test's short name;
    `refer` and `normal` come from the result in lab.json. Numbers the lab reports for Hb,
    glucose, cholesterol and HbA1c are the encounter's measurements (classified above);
    other numbers (asam urat) have no classification and give no row, nor does a test or a
    result code lab.json does not list (the lab form refuses them, lab_result_errors; a synced
    record keeps its other findings, as a stored screening result with an unknown code does)."""
    tests = {test["code"]: test for test in ctx["config"]["lab"]["tests"]}
    rows = []
    for item in results:
        test = tests.get(item.get("test"))
        if test is None or test["kind"] != "categorical":
            continue
        result = next((r for r in test["results"] if r["code"] == item.get("result")), None)
        if result is None:
            continue
        rows.append({"finding": "lab", "test": test["code"], "name": test["short"],
                     "code": result["code"], "label": result["label"]["id"],
                     "value": result["label"]["id"], "refer": bool(result.get("refer")),
                     "normal": bool(result.get("normal"))})
    return rows


def _referral(referral: dict | None) -> list[dict]:
    if not referral or not referral.get("to"):
        return []
    return [{"finding": "referral", "code": "dirujuk", "label": f"Dirujuk ke {referral['to']}",
             "value": referral["to"], "refer": True, "urgent": bool(referral.get("urgent")),
             "to": referral["to"], "reason": referral.get("reason")}]
