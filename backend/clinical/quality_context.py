"""One person's record as every data-quality rule reads it (backend/clinical/quality.py; the
rule families in quality_measures.py and quality_records.py take it as their first argument)."""

from __future__ import annotations

from datetime import date

from backend.clinical import history as hist
from backend.clinical.dates import completed_months, parse_date
from backend.clinical.errors import ClinicalInputError
from backend.clinical.growth import growth_zscores


def day_text(config: dict, day: date) -> str:
    """"3 Okt 2026", the way the PWA shows a date in id-ID."""
    return f"{day.day} {config['quality']['months'][day.month - 1]} {day.year}"


class Record:
    """One person's record as every rule reads it, with the growth evaluation of each
    encounter computed once. `known`: growth_zscores already computed with the same config
    for this person's encounters, by encounter id (the PWS facts of the same write,
    backend/pws/refresh.py `Records.growth`), used instead of computing them again."""

    def __init__(self, config: dict, person: dict, records: list[dict],
                 known: dict[str, dict | None] | None = None):
        self.config, self.person = config, person
        self.birth = parse_date(person.get("birth_date"), "person.birth_date")
        self.encs = hist.encounters(records, date.max)
        self.pregnancies = hist.pregnancies(records)
        self._growth: dict[int, dict | None] = {}
        self._known = known or {}

    def months(self, enc: dict) -> int | None:
        """Completed months of age at the encounter (None before birth), once per encounter."""
        if "_months" not in enc:
            enc["_months"] = (None if enc["_date"] < self.birth
                              else completed_months(self.birth, enc["_date"]))
        return enc["_months"]

    def growth(self, enc: dict) -> dict | None:
        """growth_zscores of the encounter's weight and height (None if it has neither, or
        the evaluator cannot read them)."""
        key = id(enc)
        if key not in self._growth and enc.get("_id") in self._known:
            self._growth[key] = self._known[enc["_id"]]
        if key not in self._growth:
            measured = enc.get("measurements") or {}
            result = None
            if enc["_date"] >= self.birth and (measured.get("weight_kg") is not None
                                               or measured.get("height_cm") is not None):
                try:
                    result = growth_zscores(
                        self.config, sex=self.person.get("sex"),
                        weight_kg=measured.get("weight_kg"), height_cm=measured.get("height_cm"),
                        measure=measured.get("length_or_height"),
                        oedema=bool(measured.get("oedema")),
                        birth_date=self.person.get("birth_date"), date=enc["date"])
                except ClinicalInputError:
                    result = None
            self._growth[key] = result
        return self._growth[key]

    def day(self, value: date) -> str:
        return day_text(self.config, value)
