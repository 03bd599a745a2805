"""Child anthropometry: WHO z-scores and Permenkes 2/2020 categories (JS twin: growth.js).

WHO 2006 (by day) up to 1856 days, WHO 2007 (by month, LMS interpolated between months as
WHO's anthroplus does) from 61 to 228 months. Weight-based indices use WHO's restricted
z-score beyond +/-3 SD; length/height is corrected by 0.7 cm when measured the other way.
"""

from __future__ import annotations

import math

from backend.clinical import bands, validate
from backend.clinical.dates import parse_date
from backend.clinical.errors import ClinicalInputError

EPSILON = 1e-9


def round_half_up(value: float, decimals: int) -> float:
    """Half-up rounding, written so JavaScript's Math.round gives the same digits."""
    factor = 10 ** decimals
    return math.floor(value * factor + 0.5) / factor


def lms_z(x: float, lms: tuple[float, float, float], restricted: bool) -> float:
    """WHO 2006 Methods, chapter 7: Box-Cox z, with the restricted tails when asked."""
    power, median, cv = lms
    if abs(power) < EPSILON:
        z = math.log(x / median) / cv
    else:
        z = ((x / median) ** power - 1) / (power * cv)
    if not restricted or -3 <= z <= 3:
        return z

    def sd(k: float) -> float:
        return median * (1 + power * cv * k) ** (1 / power)

    if z > 3:
        return 3 + (x - sd(3)) / (sd(3) - sd(2))
    return -3 + (x - sd(-3)) / (sd(-2) - sd(-3))


def lookup(table: dict, sex: str, key: float) -> tuple[float, float, float] | None:
    """L, M, S at `key`, linearly interpolated between rows; None outside the table."""
    position = (key - table["start"]) / table["step"]
    nearest = math.floor(position + 0.5)
    exact = abs(position - nearest) < EPSILON
    low = nearest if exact else math.floor(position)
    columns = table[sex]
    size = len(columns["m"])
    if low < 0 or low >= size:
        return None
    fraction = 0.0 if exact else position - low
    if fraction and low + 1 >= size:
        return None
    row = [columns[name][low] for name in ("l", "m", "s")]
    if fraction:
        row = [v + fraction * (columns[name][low + 1] - v)
               for v, name in zip(row, ("l", "m", "s"), strict=True)]
    return row[0], row[1], row[2]


def growth_zscores(config: dict, *, sex: str, weight_kg: float | None = None,
                   height_cm: float | None = None, measure: str | None = None,
                   oedema: bool = False, age_days: int | None = None,
                   birth_date: str | None = None, date: str | None = None) -> dict:
    """Z-scores and categories of BB/U, PB/U-TB/U, BB/PB-BB/TB and IMT/U for 0-228 months."""
    sex = validate.sex(sex)
    days = _age_days(age_days, birth_date, date)
    weight = None if weight_kg is None else validate.measurement(config, "weight_kg", weight_kg)
    height = None if height_cm is None else validate.measurement(config, "height_cm", height_cm)
    if measure not in (None, "lying", "standing"):
        raise ClinicalInputError("measure", "harus lying atau standing")
    growth = config["growth"]
    position = "lying" if days < growth["length_height"]["lying_until_days"] else "standing"
    height = _corrected_height(growth, height, measure, position)
    reference = _reference(growth, days)
    result = {"age_days": days, "reference": reference, "position": position,
              "height_cm": None if height is None else round_half_up(height, 2),
              "bmi": None, "indices": {}}
    if reference is None:
        return result
    age_key = days if reference == "who2006" else days / growth["days_per_month"]
    bmi = None if weight is None or height is None else weight / (height / 100 * (height / 100))
    result["bmi"] = None if bmi is None else round_half_up(bmi, 2)
    measures = {"bb_u": (weight, age_key, "bb_u"), "tb_u": (height, age_key, "tb_u"),
                "imt_u": (bmi, age_key, "imt_u")}
    if reference == "who2006" and weight is not None and height is not None:
        measures["bb_tb"] = (weight, height, "bb_pb" if position == "lying" else "bb_tb")
    for index, (value, key, table_name) in measures.items():
        if value is not None:
            result["indices"][index] = _index(config, reference, index, table_name, sex, value,
                                              key, position, oedema)
    return result


def _age_days(age_days: object, birth_date: object, on: object) -> int:
    if age_days is not None:
        return validate.integer(age_days, "age_days", 0, 7000)
    when = parse_date(on, "date")
    born = validate.past_date(birth_date, "birth_date", when)
    return (when - born).days


def _corrected_height(growth: dict, height: float | None, measure: str | None,
                      position: str) -> float | None:
    """Standing height under 24 months gains 0.7 cm; lying length from 24 months loses it."""
    if height is None or measure is None or measure == position:
        return height
    correction = growth["length_height"]["correction_cm"]
    return height + correction if position == "lying" else height - correction


def _reference(growth: dict, days: int) -> str | None:
    refs = growth["references"]
    if days <= refs["who2006"]["max_age_days"]:
        return "who2006"
    months = days / growth["days_per_month"]
    who2007 = refs["who2007"]
    if who2007["min_age_months"] <= months < who2007["until_age_months"]:
        return "who2007"
    return None


def _index(config: dict, reference: str, index: str, table_name: str, sex: str, value: float,
           key: float, position: str, oedema: bool) -> dict:
    growth = config["growth"]
    names = growth["indices"][index]["names"]
    entry = {"name": names.get(reference) or names[position], "z": None, "category": None,
             "label": None}
    restricted = index in growth["restricted_tails"]
    if oedema and restricted:
        return _oedema_entry(growth, reference, index, entry)
    table = config["who"][reference][table_name]
    if reference == "who2007":
        if index == "bb_u" and key >= growth["references"]["who2007"]["wfa_until_age_months"]:
            return {**entry, "reason": "di_luar_rentang"}
        # WHO's files repeat the last month's row for the month after it.
        key = min(key, table["start"] + (len(table[sex]["m"]) - 1) * table["step"])
    lms = lookup(table, sex, key)
    if lms is None:
        return {**entry, "reason": "di_luar_rentang"}
    z = round_half_up(lms_z(value, lms, restricted), growth["z_decimals"])
    entry["z"] = z
    limits = growth["implausible"][index]
    entry["implausible"] = z < limits["lt"] or z > limits["gt"]
    category_bands = category_table(growth, reference, index)
    if category_bands is not None:
        band = bands.pick(category_bands, z)
        entry["category"], entry["label"] = band["code"], band["label"]
    return entry


def _oedema_entry(growth: dict, reference: str, index: str, entry: dict) -> dict:
    """Bilateral oedema: weight says nothing; wasting indices count as gizi buruk."""
    entry = {**entry, "reason": "edema"}
    category_bands = category_table(growth, reference, index)
    if index != "bb_u" and category_bands is not None:
        code = growth["oedema"]["category"]
        entry["category"] = code
        entry["label"] = next(b["label"] for b in category_bands if b["code"] == code)
    return entry


def category_table(growth: dict, reference: str, index: str) -> list[dict] | None:
    """Permenkes 2/2020 bands; a string entry points at another reference's bands."""
    bands_or_link = growth["categories"][reference][index]
    if isinstance(bands_or_link, str):
        other_reference, other_index = bands_or_link.split(".")
        return growth["categories"][other_reference][other_index]
    return bands_or_link
