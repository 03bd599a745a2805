"""Which finding leads to which follow-up, read from config/ilp/followup.json (JS twin:
followup-rules.js).

Rules are read in order and the first whose `finding` and `when` match a finding row is its
rule. `follow_ups` turns the matched rules of one encounter into one follow-up each, then
folds the findings an explicit referral already covers into that referral, so the place
that receives the person gets one task for one visit (`referral_merge` in the config).
"""

from __future__ import annotations

SELF_NAMED = frozenset({"screening", "weight_trend", "referral"})
MATCHERS = {
    "refer": lambda want, row: bool(row.get("refer")) == want,
    "urgent": lambda want, row: bool(row.get("urgent")) == want,
    "two_t": lambda want, row: bool(row.get("two_t")) == want,
    "category": lambda want, row: row.get("code") in want,
    "instrument": lambda want, row: row.get("instrument") in want,
    "test": lambda want, row: row.get("test") in want,
    "stage": lambda want, row: row.get("stage") in want,
    "flag": lambda want, row: any(flag in (row.get("flags") or []) for flag in
                                  ([want] if isinstance(want, str) else want)),
}


def rule_for(config: dict, row: dict) -> dict | None:
    """The first followup.json rule that matches a finding row, or None."""
    for rule in config["followup"]["rules"]:
        kinds = [rule["finding"]] if isinstance(rule["finding"], str) else rule["finding"]
        if row["finding"] in kinds and all(MATCHERS[key](want, row)
                                           for key, want in rule["when"].items()):
            return rule
    return None


def follow_ups(config: dict, *, findings: list[dict]) -> list[dict]:
    """One follow-up per matched rule, in finding order; an explicit referral absorbs the
    others bound for the same place (see the module docstring).

    Each: {rule, finding, label, reason (Indonesian), to pustu|puskesmas, cluster,
    due_in_days, urgent, source, covers (rule codes folded into a referral)}.
    """
    made: dict[str, dict] = {}
    for row in findings:
        rule = rule_for(config, row)
        if rule is not None and rule["code"] not in made:
            made[rule["code"]] = _follow_up(config, rule, row)
    candidates = list(made.values())
    referral = next((f for f in candidates if f["finding"] == "referral"), None)
    if referral is not None:
        covered = [f for f in candidates if f is not referral and _covered_by(referral, f)]
        merged = _merge(referral, covered)
        candidates = [merged if f is referral else f for f in candidates if f not in covered]
    return [{key: value for key, value in f.items() if key != "text"} for f in candidates]


def _follow_up(config: dict, rule: dict, row: dict) -> dict:
    action = rule["action"]
    to = action["to"]
    if to == "referral":
        to = "puskesmas" if str(row.get("to", "")).lower().startswith("puskesmas") else "pustu"
    cluster = action.get("cluster")
    if cluster == "siklus_hidup":
        cluster = _life_cycle_cluster(config, row)
    # Screenings, the weight trend and a referral name themselves; a measurement is named by
    # its rule ("Tekanan darah tinggi pada ibu hamil atau nifas: TD 145/95 mmHg (...)").
    reason = row["text"] if row["finding"] in SELF_NAMED else f"{rule['label']}: {row['text']}"
    return {"rule": rule["code"], "finding": row["finding"], "label": rule["label"],
            "reason": _clip(reason), "to": to,
            "cluster": cluster if to == "puskesmas" else None,
            "due_in_days": action["due_in_days"], "urgent": bool(action.get("urgent")),
            "separate": bool(action.get("separate")), "source": rule["source"], "covers": [],
            "text": row["text"]}


def _life_cycle_cluster(config: dict, row: dict) -> str:
    """Klaster 2 for mothers (hamil, nifas) and the young, 3 for adults and the elderly."""
    clusters = config["followup"]["clusters"]
    for flag in row.get("flags") or []:
        if flag in clusters["flags"]:
            return clusters["flags"][flag]
    return clusters["stages"][row["stage"]]


def _covered_by(referral: dict, other: dict) -> bool:
    """A referral to the Puskesmas covers every place below it; one to the Pustu covers the
    Pustu's own follow-ups. Re-tests on their own date (`separate`) stay apart."""
    if other["separate"]:
        return False
    return referral["to"] == "puskesmas" or other["to"] == "pustu"


def _merge(referral: dict, covered: list[dict]) -> dict:
    if not covered:
        return referral
    urgent_first = sorted(covered, key=lambda f: (not f["urgent"], f["due_in_days"]))
    cluster = referral["cluster"]
    if referral["to"] == "puskesmas" and cluster is None:
        cluster = next((f["cluster"] for f in urgent_first if f["cluster"]), None)
    found = "; ".join(f["text"] for f in covered)
    return {**referral, "reason": _clip(f"{referral['reason']}. Temuan: {found}"),
            "cluster": cluster, "urgent": referral["urgent"] or urgent_first[0]["urgent"],
            "due_in_days": min([referral["due_in_days"]] + [f["due_in_days"] for f in covered]),
            "covers": [f["rule"] for f in covered]}


def _clip(text: str, limit: int = 300) -> str:
    """Task reasons are at most 300 characters (TaskSchema)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
