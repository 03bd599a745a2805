"""Ordered threshold bands and the `when` conditions that pick a group (JS twin: bands.js).

Every classifier in config/ilp writes its cut-offs as bands read top to bottom: `lt` (below),
`le` (at or below), or no bound (the rest). Keeping one reader means a cut-off edge such as
"18.5 is normal" is decided in one place for all rules.
"""

from __future__ import annotations

from datetime import date

from backend.clinical.dates import in_age_range
from backend.clinical.errors import ClinicalInputError


def pick(bands: list[dict], value: float) -> dict:
    """The first band whose bound holds for `value`."""
    for band in bands:
        if "lt" in band:
            if value < band["lt"]:
                return band
        elif "le" in band:
            if value <= band["le"]:
                return band
        else:
            return band
    raise ValueError("bands must end with an unbounded band")


def matches(when: dict, subject: dict) -> bool:
    """Whether a subject ({birth, on, sex, pregnant}) meets a `when` condition."""
    if "pregnant" in when and bool(subject.get("pregnant")) != when["pregnant"]:
        return False
    if "sex" in when and subject.get("sex") != when["sex"]:
        return False
    if "age" in when:
        birth, on = subject.get("birth"), subject.get("on")
        if birth is None or on is None:
            raise ClinicalInputError("birth_date", "umur diperlukan untuk aturan ini")
        return in_age_range(birth, on, when["age"])
    return True


def first_group(groups: list[dict], subject: dict) -> dict | None:
    return next((group for group in groups if matches(group["when"], subject)), None)


def subject(sex: str | None = None, birth: date | None = None, on: date | None = None,
            pregnant: bool = False) -> dict:
    return {"sex": sex, "birth": birth, "on": on, "pregnant": pregnant}
