"""Are two person records one person? A Fellegi–Sunter style score from config/ilp/duplicates.json
(JS twin: pwa/static/js/clinical/duplicates.js; docs/review.md "Duplicates").

Each piece of evidence (same NIK, similar name, birth date within a typing slip, different
sex...) adds its configured weight; the score is the sum clamped to 0..1. A person summary is
`{name, sex, birth_date, birth_date_estimated, nik, no_kk, desa, mother, household}` where
`mother` is the mother's *name* (a mother registered twice is two ids but one name) and
`household` the household id; a missing value gives no evidence either way.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

from backend.search import name_key as _name_key

# Scoring a desa's candidate pairs folds the same few hundred names again and again.
name_key = lru_cache(maxsize=8192)(_name_key)


def compare(config: dict, a: dict, b: dict) -> dict:
    """`{"score", "reasons": [codes in config order]}` for two person summaries."""
    spec = config["duplicates"]
    found = _evidence(spec, a, b)
    reasons = [item["code"] for item in spec["evidence"] if item["code"] in found]
    total = sum(item["weight"] for item in spec["evidence"] if item["code"] in found)
    return {"score": _round3(min(1.0, max(0.0, total))), "reasons": reasons}


def candidates(config: dict, draft: dict, persons: list[dict]) -> list[dict]:
    """The persons (summaries with an `id`) a draft registration may duplicate, best first:
    `[{"id", "score", "reasons"}]`, at most `threshold.hint_max`, score >= `threshold.hint`."""
    limits = config["duplicates"]["threshold"]
    ranked = []
    for person in persons:
        result = compare(config, draft, person)
        if result["score"] >= limits["hint"]:
            ranked.append({"id": person["id"], **result})
    ranked.sort(key=lambda item: (-item["score"], item["id"]))
    return ranked[:limits["hint_max"]]


def _evidence(spec: dict, a: dict, b: dict) -> set[str]:
    found: set[str] = set()
    nik_a, nik_b = a.get("nik"), b.get("nik")
    if nik_a and nik_b:
        found.add("nik_sama" if nik_a == nik_b else "nik_beda")
    same_kk = a.get("no_kk") and a.get("no_kk") == b.get("no_kk")
    if same_kk or (a.get("household") and a.get("household") == b.get("household")):
        found.add("kk_sama")
    found |= _name_evidence(spec["name"], a.get("name"), b.get("name"))
    found |= _birth_evidence(spec["birth_date"], a, b)
    if a.get("mother") and b.get("mother"):
        alike = name_similarity(spec["name"], name_key(a["mother"]), name_key(b["mother"]))
        found.add("ibu_sama" if alike >= spec["name"]["similar"] else "ibu_beda")
    if a.get("sex") and b.get("sex") and a["sex"] != b["sex"]:
        found.add("jenis_kelamin_beda")
    if a.get("desa") and a.get("desa") == b.get("desa"):
        found.add("desa_sama")
    return found


def _name_evidence(spec: dict, name_a: str | None, name_b: str | None) -> set[str]:
    if not name_a or not name_b:
        return set()
    key_a, key_b = name_key(name_a), name_key(name_b)
    if not key_a or not key_b:
        return set()
    if key_a == key_b:
        return {"nama_sama"}
    return {"nama_mirip"} if name_similarity(spec, key_a, key_b) >= spec["similar"] else set()


def _birth_evidence(spec: dict, a: dict, b: dict) -> set[str]:
    born_a, born_b = a.get("birth_date"), b.get("birth_date")
    if not born_a or not born_b:
        return set()
    if born_a == born_b:
        return {"lahir_sama"}
    apart = abs((dt.date.fromisoformat(born_a) - dt.date.fromisoformat(born_b)).days)
    slipped_year = born_a[4:] == born_b[4:] and abs(
        int(born_a[:4]) - int(born_b[:4])) <= spec["year_slip"]
    if apart <= spec["tolerance_days"] or slipped_year:
        return {"lahir_dekat"}
    estimated = a.get("birth_date_estimated") or b.get("birth_date_estimated")
    if estimated and apart <= spec["estimated_tolerance_days"]:
        return set()  # an estimate says little either way
    return {"lahir_jauh"}


def name_similarity(spec: dict, key_a: str, key_b: str) -> float:
    """1.0 for keys equal but for spaces; else word by word, in any order: the mean of each
    word's best Jaro–Winkler against the other name's words, taken from the weaker side (so
    'Siti' is not 'Siti Aminah', and 'Muhammad Hasan' is not his twin 'Muhammad Husen')."""
    return _similarity(spec["winkler_prefix_scale"], spec["winkler_prefix_max"], key_a, key_b)


@lru_cache(maxsize=65536)
def _similarity(scale: float, most: int, key_a: str, key_b: str) -> float:
    """Cached: a village has few distinct names, and blocks compare them again and again."""
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return 1.0
    words_a, words_b = key_a.split(" "), key_b.split(" ")
    return min(_monge_elkan(scale, most, words_a, words_b),
               _monge_elkan(scale, most, words_b, words_a))


def _monge_elkan(scale: float, most: int, words: list[str], others: list[str]) -> float:
    total = 0.0
    for word in words:
        total += max(_jaro_winkler(scale, most, word, other) for other in others)
    return total / len(words)


def jaro_winkler(spec: dict, s: str, t: str) -> float:
    """Winkler's (1990) string comparator: Jaro similarity boosted by a common prefix."""
    return _jaro_winkler(spec["winkler_prefix_scale"], spec["winkler_prefix_max"], s, t)


@lru_cache(maxsize=65536)
def _jaro_winkler(scale: float, most: int, s: str, t: str) -> float:
    if s == t:
        return 1.0
    if not s or not t:
        return 0.0
    window = max(max(len(s), len(t)) // 2 - 1, 0)
    taken = [False] * len(t)
    matched_s = []
    for i, char in enumerate(s):
        for j in range(max(0, i - window), min(len(t), i + window + 1)):
            if not taken[j] and t[j] == char:
                taken[j] = True
                matched_s.append(char)
                break
    m = len(matched_s)
    if m == 0:
        return 0.0
    matched_t = [t[j] for j in range(len(t)) if taken[j]]
    transpositions = sum(1 for x, y in zip(matched_s, matched_t, strict=True) if x != y) / 2
    jaro = (m / len(s) + m / len(t) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(s[:most], t[:most], strict=False):  # the shorter word ends the prefix
        if x != y:
            break
        prefix += 1
    return jaro + prefix * scale * (1 - jaro)


def _round3(value: float) -> float:
    """Half up to 3 decimals, exactly as the JS twin's Math.round(value * 1000) / 1000."""
    return math.floor(value * 1000 + 0.5) / 1000
