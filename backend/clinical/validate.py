"""Input checks shared by the evaluators: impossible values raise ClinicalInputError naming the
field, so a typo never becomes a classification (JS twin: validate.js)."""

from __future__ import annotations

import math
from datetime import date

from backend.clinical.dates import parse_date
from backend.clinical.errors import ClinicalInputError

SEXES = ("L", "P")


def number(value: object, field: str, low: float | None = None,
           high: float | None = None) -> float:
    """A finite number within [low, high]; booleans and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ClinicalInputError(field, "harus berupa angka")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ClinicalInputError(field, f"di luar rentang yang mungkin ({low}-{high})")
    return float(value)


def measurement(config: dict, field: str, value: object) -> float:
    """A measurement checked against classifiers.json `input_limits`."""
    low, high = config["classifiers"]["input_limits"][field]
    return number(value, field, low, high)


def integer(value: object, field: str, low: int, high: int) -> int:
    """A whole number in [low, high]; 3.0 passes because JSON (and JavaScript) cannot tell."""
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not low <= value <= high:
        raise ClinicalInputError(field, f"harus bilangan bulat {low}-{high}")
    return int(value)


def yes_no(value: object, field: str) -> bool:
    """true/false, or 1/0 as paper forms are often keyed."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return value == 1
    raise ClinicalInputError(field, "jawaban harus ya/tidak (true/false)")


def sex(value: object, field: str = "sex") -> str:
    if value not in SEXES:
        raise ClinicalInputError(field, "jenis kelamin harus L atau P")
    return value


def past_date(value: object, field: str, on: date) -> date:
    """A date not after `on` (a birth date or HPHT in the future is a typo)."""
    parsed = parse_date(value, field)
    if parsed > on:
        raise ClinicalInputError(field, "tanggal di masa depan")
    return parsed


def blood_pressure(config: dict, sbp: object, dbp: object) -> tuple[float, float]:
    systolic = measurement(config, "sbp", sbp)
    diastolic = measurement(config, "dbp", dbp)
    if diastolic >= systolic:
        raise ClinicalInputError("dbp", "diastolik harus lebih rendah dari sistolik")
    return systolic, diastolic
