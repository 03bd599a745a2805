"""Data-quality rules on measurements (config/ilp/quality.json kinds: implausible_z,
height_shrink, weight_jump, pulse_pressure, glucose_without_type, hba1c_glucose,
missing_weight, missing_measure; JS twin: quality-measures.js). Each check reads one person's
record (backend/clinical/quality.py `Record`) and answers (record, field, detail) hits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.clinical.finding_text import number
from backend.clinical.growth import round_half_up

if TYPE_CHECKING:
    from backend.clinical.quality import Record

Hit = tuple[dict, str, str]
"""(the flagged record, the field, what was found in Indonesian words)"""


def measured(enc: dict, name: str) -> object:
    """A measurement of the encounter, None when not taken."""
    return (enc.get("measurements") or {}).get(name)


def implausible_z(ctx: Record, rule: dict) -> list[Hit]:
    """WHO flags: a z-score outside growth.json `implausible` (growth_zscores marks it)."""
    hits = []
    limits = ctx.config["growth"]["implausible"]
    for enc in ctx.encs:
        result = ctx.growth(enc)
        if result is None:
            continue
        fired = [(index, entry) for index in rule["params"]["indices"]
                 if (entry := result["indices"].get(index)) and entry.get("implausible")]
        if not fired:
            continue
        text = "; ".join(f"{entry['name']} z {number(entry['z'])} (batas "
                         f"{number(limits[index]['lt'])} sampai +{number(limits[index]['gt'])})"
                         for index, entry in fired)
        weight_only = all(index == "bb_u" for index, _ in fired)
        height_only = all(index == "tb_u" for index, _ in fired)
        field = ("measurements.weight_kg" if weight_only else
                 "measurements.height_cm" if height_only else "measurements")
        values = _weight_height_text(enc)
        hits.append((enc, field, f"{text}; {values}"))
    return hits


def _weight_height_text(enc: dict) -> str:
    parts = []
    if measured(enc, "weight_kg") is not None:
        parts.append(f"berat {number(measured(enc, 'weight_kg'))} kg")
    if measured(enc, "height_cm") is not None:
        parts.append(f"tinggi {number(measured(enc, 'height_cm'))} cm")
    return ", ".join(parts)


def height_shrink(ctx: Record, rule: dict) -> list[Hit]:
    """A length/height lower than the previous one by more than the tolerance, both after
    the evaluator's lying/standing correction."""
    params = rule["params"]
    hits = []
    previous = None
    for enc in ctx.encs:
        result = ctx.growth(enc)
        if result is None or result["height_cm"] is None:
            continue
        height = result["height_cm"]
        if previous is not None and previous[0]["_date"] < enc["_date"]:
            adult = (ctx.months(enc) or 0) >= params["adult_from_months"]
            tolerance = params["adult_tolerance_cm"] if adult else params["tolerance_cm"]
            if previous[1] - height > tolerance:
                before = previous[0]
                hits.append((enc, "measurements.height_cm",
                             f"Tinggi {_height_text(enc, height)}, sebelumnya "
                             f"{_height_text(before, previous[1])} pada "
                             f"{ctx.day(before['_date'])} (toleransi {number(tolerance)} cm)"))
        previous = (enc, height)
    return hits


def _height_text(enc: dict, corrected: float) -> str:
    """"84 cm (setara 83,3 cm)" when the lying/standing correction changed it."""
    typed = measured(enc, "height_cm")
    same = abs(typed - corrected) < 1e-9
    return f"{number(typed)} cm" + ("" if same else f" (setara {number(corrected)} cm)")


def weight_jump(ctx: Record, rule: dict) -> list[Hit]:
    """A weight changed by more than the age band's share of the previous weighing within
    `within_days`."""
    params = rule["params"]
    hits = []
    previous = None
    for enc in ctx.encs:
        weight = measured(enc, "weight_kg")
        if weight is None or enc["_date"] < ctx.birth:
            continue
        if previous is not None and previous["_date"] < enc["_date"] and \
                (enc["_date"] - previous["_date"]).days <= params["within_days"]:
            before = measured(previous, "weight_kg")
            share = _band_share(params["bands"], ctx.months(enc) or 0)
            change = (weight - before) / before
            if abs(change) > share:
                percent = int(round_half_up(abs(change) * 100, 0))
                hits.append((enc, "measurements.weight_kg",
                             f"Berat {number(weight)} kg, sebelumnya {number(before)} kg pada "
                             f"{ctx.day(previous['_date'])} ({'naik' if change > 0 else 'turun'}"
                             f" {percent}%, batas {int(round_half_up(share * 100, 0))}%)"))
        previous = enc
    return hits


def _band_share(bands: list[dict], months: int) -> float:
    return next(band["share"] for band in bands
                if band["lt_months"] is None or months < band["lt_months"])


def pulse_pressure(ctx: Record, rule: dict) -> list[Hit]:
    params = rule["params"]
    hits = []
    for enc in ctx.encs:
        sbp, dbp = measured(enc, "sbp"), measured(enc, "dbp")
        if sbp is None or dbp is None:
            continue
        gap = sbp - dbp
        if gap < params["min_mmhg"] or gap > params["max_mmhg"]:
            bound = (f"kurang dari {params['min_mmhg']}" if gap < params["min_mmhg"]
                     else f"lebih dari {params['max_mmhg']}")
            hits.append((enc, "measurements.sbp",
                         f"TD {number(sbp)}/{number(dbp)} mmHg: selisih {number(gap)} mmHg, "
                         f"{bound} mmHg"))
    return hits


def glucose_without_type(ctx: Record, rule: dict) -> list[Hit]:
    return [(enc, "measurements.glucose_type",
             f"Gula darah {number(measured(enc, 'glucose_mgdl'))} mg/dL tanpa keterangan "
             "GDS, GDP atau GD2PP")
            for enc in ctx.encs
            if measured(enc, "glucose_mgdl") is not None and not measured(enc, "glucose_type")]


def hba1c_glucose(ctx: Record, rule: dict) -> list[Hit]:
    """ADAG: the average glucose an HbA1c implies, against a same-visit fasting glucose."""
    params = rule["params"]
    hits = []
    for enc in ctx.encs:
        hba1c, glucose = measured(enc, "hba1c_pct"), measured(enc, "glucose_mgdl")
        kind = measured(enc, "glucose_type")
        if hba1c is None or glucose is None or kind not in params["glucose_types"]:
            continue
        average = params["slope"] * hba1c + params["intercept"]
        if abs(glucose - average) > params["max_difference_mgdl"]:
            hits.append((enc, "measurements.hba1c_pct",
                         f"HbA1c {number(hba1c)}% (rata-rata gula sekitar "
                         f"{number(average)} mg/dL) tetapi {kind} "
                         f"{number(glucose)} mg/dL"))
    return hits


def missing_weight(ctx: Record, rule: dict) -> list[Hit]:
    params = rule["params"]
    return [(enc, "measurements.weight_kg",
             f"Balita umur {ctx.months(enc)} bulan di Posyandu {ctx.day(enc['_date'])} tanpa "
             "berat badan")
            for enc in ctx.encs
            if enc.get("setting") in params["settings"] and ctx.months(enc) is not None
            and (enc.get("posyandu_session") or not params["session_only"])
            and ctx.months(enc) < params["until_age_months"]
            and measured(enc, "weight_kg") is None]


def missing_measure(ctx: Record, rule: dict) -> list[Hit]:
    until = rule["params"]["until_age_months"]
    return [(enc, "measurements.length_or_height",
             f"Panjang/tinggi {number(measured(enc, 'height_cm'))} cm umur {ctx.months(enc)} "
             "bulan tanpa keterangan terlentang atau berdiri")
            for enc in ctx.encs
            if measured(enc, "height_cm") is not None
            and not measured(enc, "length_or_height")
            and ctx.months(enc) is not None and ctx.months(enc) < until]
