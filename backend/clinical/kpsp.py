"""Which KPSP form a child is asked (JS twin: kpsp.js): the age in months rounded as the SDIDTK
pedoman rounds it, then the form of that age or, between two forms, the younger one
(config/ilp/instruments.json `kpsp.form_age`). No form exists below the first or above the
last age, so a KPSP there is refused, never scored on a neighbouring form."""

from __future__ import annotations

from datetime import date as Date

from backend.clinical import validate
from backend.clinical.dates import add_months, completed_months, parse_date
from backend.clinical.errors import ClinicalInputError


def kpsp_form(config: dict, *, birth_date: str | None = None, date: str | None = None) -> dict:
    """`{form, age_months, items}`: the form's age in months, the rounded age, its items."""
    if birth_date is None or date is None:
        return age_form(config["instruments"]["instruments"]["kpsp"], None, None)
    on = parse_date(date, "date")
    birth = validate.past_date(birth_date, "birth_date", on)
    return age_form(config["instruments"]["instruments"]["kpsp"], birth, on)


def age_form(spec: dict, birth: Date | None, on: Date | None) -> dict:
    """The form of an instrument with one form per age (`forms`, `form_age`)."""
    if birth is None or on is None:
        raise ClinicalInputError("birth_date", "tanggal lahir dan tanggal pemeriksaan diperlukan "
                                               "untuk memilih formulir KPSP")
    months = rounded_months(birth, on, spec["form_age"]["round_up_days"])
    ages = [form["months"] for form in spec["forms"]]
    if months < ages[0] or months > ages[-1]:
        raise ClinicalInputError("age", f"KPSP hanya untuk umur {ages[0]}–{ages[-1]} bulan; "
                                        f"umur anak {months} bulan")
    form = [form for form in spec["forms"] if form["months"] <= months][-1]
    return {"form": form["months"], "age_months": months, "items": form["items"]}


def rounded_months(birth: Date, on: Date, round_up_days: int) -> int:
    """Completed months, plus one when the days left over reach `round_up_days`."""
    months = completed_months(birth, on)
    return months + 1 if (on - add_months(birth, months)).days >= round_up_days else months
