"""The checks config/ilp/reminders.json passes when the clinical knowledge is loaded
(docs/clinical-rules.md, "Reminders"): a rule that names an unknown family, status, kind or
item code, a template field nobody fills, or an impossible TTL fails at start, not at the
first run of the scheduler at night."""

from __future__ import annotations

import re

from backend.clinical.items import STATUS_ORDER

# family -> the anchor its rules use and the template fields it fills
FAMILIES = {
    "due_items": ("due_from", "late_from"),
    "posyandu": ("session",),
    "staff_tasks": ("digest",),
    "refused": ("digest",),
}
AUDIENCES = {"due_items": "household", "posyandu": "household", "staff_tasks": "staff",
             "refused": "staff"}
FIELDS = {"household": {"nama", "tanggal", "batas", "posyandu"}, "staff": {"jumlah"}}
KINDS = {"immunization", "anc", "kf", "kn", "vitamin_a", "measurement", "screening", "service"}
TASK_STATUSES = {"open", "in_progress"}
TASK_PLACES = ("pustu", "puskesmas")   # whose tasks a staff_tasks rule follows
URGENCIES = ("very-low", "low", "normal", "high")
MAX_TTL = 28 * 86400          # push services keep a message at most about four weeks
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,16}$")   # RFC 8030 Topic: base64url; a hash is appended
_FIELD = re.compile(r"\{(\w+)\}")


def item_codes(config: dict) -> set[str]:
    """Every due-list item code a rule may follow by `codes`."""
    codes = {dose["code"] for dose in config["immunization"]["doses"]}
    codes |= {rule["code"] for rule in config["screenings"]["rules"]}
    codes |= {c["code"] for c in config["maternal"]["anc"]["contacts"]}
    codes |= {v["code"] for kind in ("kf", "kn") for v in config["maternal"][kind]["visits"]}
    return codes


def check_reminders(config: dict) -> None:
    """Raise ValueError naming reminders.json and the rule when a rule is malformed."""
    seen: set[str] = set()
    for rule in config["reminders"]["rules"]:
        code = rule.get("code")
        problems = _problems(config, rule)
        if code in seen:
            problems.append("its code is used twice")
        seen.add(code)
        if problems:
            raise ValueError(f"reminders.json rule {code!r}: {'; '.join(problems)}")


def _problems(config: dict, rule: dict) -> list[str]:
    out = []
    family = rule.get("family")
    if family not in FAMILIES:
        return [f"family {family!r} is not one of {', '.join(FAMILIES)}"]
    if rule.get("audience") != AUDIENCES[family]:
        out.append(f"audience must be {AUDIENCES[family]} for family {family}")
    if rule.get("anchor") not in FAMILIES[family]:
        out.append(f"anchor must be one of {', '.join(FAMILIES[family])}")
    follows = rule.get("follows", {})
    statuses = set(follows.get("statuses", []))
    allowed = TASK_STATUSES if family == "staff_tasks" else set(STATUS_ORDER)
    if not statuses <= allowed:
        out.append(f"unknown statuses {sorted(statuses - allowed)}")
    if family in ("due_items", "posyandu") and not statuses:
        out.append("follows.statuses is required")
    if not set(follows.get("kinds", [])) <= KINDS:
        out.append(f"unknown kinds {sorted(set(follows.get('kinds', [])) - KINDS)}")
    unknown = set(follows.get("codes", [])) - item_codes(config)
    if unknown:
        out.append(f"unknown item codes {sorted(unknown)}")
    if family == "due_items" and not (follows.get("kinds") or follows.get("codes")):
        out.append("follows.kinds or follows.codes is required")
    if family == "staff_tasks" and follows.get("place", "pustu") not in TASK_PLACES:
        out.append(f"follows.place must be one of {', '.join(TASK_PLACES)}")
    return out + _delivery(rule, AUDIENCES[family])


def _delivery(rule: dict, audience: str) -> list[str]:
    """When, how long and what a rule's message says."""
    out = []
    offsets = rule.get("offsets_days")
    if not offsets or not all(isinstance(o, int) and -30 <= o <= 60 for o in offsets):
        out.append("offsets_days must be whole days from -30 (the due list's look-ahead) to 60")
    if not isinstance(rule.get("send_within_days"), int) or rule["send_within_days"] < 1:
        out.append("send_within_days must be at least 1")
    ttl = rule.get("ttl_seconds")
    if not isinstance(ttl, int) or not 0 < ttl <= MAX_TTL:
        out.append(f"ttl_seconds must be 1..{MAX_TTL}")
    if rule.get("urgency") not in URGENCIES:
        out.append(f"urgency must be one of {', '.join(URGENCIES)}")
    if not TOPIC.match(str(rule.get("topic", ""))):
        out.append("topic must be 1-16 base64url characters")
    text = rule.get("text") or {}
    if not (isinstance(text.get("title"), str) and isinstance(text.get("body"), str)):
        out.append("text needs a title and a body")
    else:
        used = set(_FIELD.findall(text["title"] + text["body"]))
        if not used <= FIELDS[audience]:
            out.append(f"template fields {sorted(used - FIELDS[audience])} are not filled "
                       f"for {audience} rules")
    for key in ("label", "source"):
        if not rule.get(key):
            out.append(f"{key} is required")
    return out
