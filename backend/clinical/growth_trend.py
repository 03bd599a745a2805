"""Naik / tidak naik: a child's weight trend by the minimum weight gain (KBM) of the Kemenkes
growth-monitoring guidance (JS twin: growth-trend.js; table in config/ilp/growth.json
`weight_trend`).

The KMS joins last month's dot to this month's, so the comparison is with the latest
weighing of the previous calendar month: no weighing ever is B (baru), none last month is O,
a gain of at least the KBM for the child's age is N (naik), anything less is T. Two T in a
row is 2T, the signal Posyandu refers on.
"""

from __future__ import annotations

from datetime import date

from backend.clinical import bands, validate
from backend.clinical import history as hist
from backend.clinical.dates import completed_months, parse_date
from backend.clinical.growth import round_half_up


def weight_trend(config: dict, *, person: dict, history: list[dict] | None = None, date: str,
                 weight_kg: float, weights: list[tuple[date, object]] | None = None) -> dict:
    """{code, letter, label, two_t, age_months, kbm_g, gain_g, previous, previous_code}.

    `history` is the person's documents; weighings in the month of `date` or later are
    ignored, so the encounter being judged may be in it. Over the KBM age (60 months) the
    code is None with a reason. `weights`, if given, is `recorded_weights` of the same
    history: a caller judging every weighing of one record (backend/pws/facts.py) reads the
    history once instead of once per weighing.
    """
    on = parse_date(date, "date")
    birth = validate.past_date(person.get("birth_date"), "person.birth_date", on)
    weight = validate.measurement(config, "weight_kg", weight_kg)
    rules = config["growth"]["weight_trend"]
    months = completed_months(birth, on)
    if months >= rules["until_age_months"]:
        return {"code": None, "letter": None, "label": None, "two_t": False,
                "age_months": months, "reason": "di_luar_umur"}
    if weights is None:
        weights = recorded_weights(hist.encounters(history or [], on))
    weighings = _weighings(config, weights, on)
    result = _trend(rules, birth, weighings, on, weight)
    previous = result.get("previous")
    previous_code = None
    if previous is not None:
        previous_code = _trend(rules, birth, weighings, previous["_date"],
                               previous["weight_kg"])["code"]
        result["previous"] = {"date": previous["_date"].isoformat(),
                              "weight_kg": previous["weight_kg"]}
    two_t = result["code"] == "tidak_naik" and previous_code == "tidak_naik"
    label_key = "two_t" if two_t else result["code"]
    return {**result, "letter": "2T" if two_t else rules["letters"][result["code"]],
            "label": rules["labels"][label_key], "two_t": two_t,
            "previous_code": previous_code}


def recorded_weights(encs: list[dict]) -> list[tuple[date, object]]:
    """(date, weight as stored) of every encounter of `encs` (history.encounters: live,
    oldest first) that weighed."""
    found = []
    for enc in encs:
        weight = (enc.get("measurements") or {}).get("weight_kg")
        if weight is not None:
            found.append((enc["_date"], weight))
    return found


def _weighings(config: dict, weights: list[tuple[date, object]], on: date) -> list[dict]:
    """Every recorded weight up to `on`, oldest first (an impossible stored weight raises)."""
    return [{"_date": day, "weight_kg": validate.measurement(config, "weight_kg", weight)}
            for day, weight in weights if day <= on]


def _trend(rules: dict, birth: date, weighings: list[dict], on: date, weight: float) -> dict:
    """The trend of one weighing against the weighings of the months before it."""
    months = completed_months(birth, on)
    kbm = bands.pick(rules["kbm_g"], months)["kbm"]
    earlier = [w for w in weighings if (w["_date"].year, w["_date"].month) < (on.year, on.month)]
    base = {"age_months": months, "kbm_g": kbm, "gain_g": None, "previous": None}
    if not earlier:
        return {**base, "code": "baru"}
    last = earlier[-1]
    last_month = (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)
    if (last["_date"].year, last["_date"].month) != last_month:
        return {**base, "code": "tidak_ditimbang_bulan_lalu", "previous": last}
    gain = int(round_half_up((weight - last["weight_kg"]) * 1000, 0))
    code = "naik" if gain >= kbm else "tidak_naik"
    return {**base, "code": code, "gain_g": gain, "previous": last}
