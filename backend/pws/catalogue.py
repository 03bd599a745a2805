"""The PWS indicator catalogue (config/ilp/pws.json) as typed, read-only objects.

One indicator = what its numerator and denominator count, how it is counted over time, its
annual target per year, and its source. A numerator or denominator is one of:
* an event: distinct persons with a `pws_events` row of that code in the period;
* a growth measure: distinct balita with a `growth_points` row matching the named filter of
  pws.json `growth_measures` in the period;
* a target group (denominators only): the official sasaran, else a convention, else the
  registered persons of the group (backend/pws/denominators.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backend.clinical.config import default_config

PERIODS = ("monthly", "cumulative", "semester", "prevalence")


@dataclass(frozen=True)
class Measure:
    kind: str          # "event" | "growth" | "group"
    code: str          # the event code, growth measure name or target group key
    text: str          # Indonesian definition shown beside the number


@dataclass(frozen=True)
class Indicator:
    id: str
    cluster: str
    short: str
    label: str
    period: str
    numerator: Measure
    denominator: Measure
    spm: bool
    default_target: float
    targets_by_year: dict[str, float]
    gap_reason: str
    source: str
    lower_is_better: bool   # prevalence of a bad outcome (stunting): the target is a ceiling

    def target(self, year: int) -> float:
        """The annual target in percent for `year` (pws.json `target.by_year`, else default)."""
        return float(self.targets_by_year.get(str(year), self.default_target))


@dataclass(frozen=True)
class Catalogue:
    version: str
    indicators: tuple[Indicator, ...]
    groups: dict[str, dict]
    growth_measures: dict[str, dict]
    conventions: dict[str, dict]
    morbidity: dict
    followup: dict

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError if the catalogue has none."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(indicator.id for indicator in self.indicators)


def _measure(spec: dict) -> Measure:
    for kind in ("event", "growth", "group"):
        if kind in spec:
            return Measure(kind, spec[kind], spec["text"])
    raise ValueError(f"pws.json: a measure needs event, growth or group: {spec}")


def from_config(pws: dict) -> Catalogue:
    indicators = []
    for spec in pws["indicators"]:
        if spec["period"] not in PERIODS:
            raise ValueError(f"pws.json {spec['id']}: period {spec['period']!r} not in {PERIODS}")
        target = spec["target"]
        indicators.append(Indicator(
            id=spec["id"], cluster=spec["cluster"], short=spec["short"], label=spec["label"],
            period=spec["period"], numerator=_measure(spec["numerator"]),
            denominator=_measure(spec["denominator"]), spm=spec["spm"],
            default_target=float(target["default"]), targets_by_year=dict(target["by_year"]),
            gap_reason=spec["gap_reason"], source=spec["source"],
            lower_is_better=spec["better"] == "lower"))
    return Catalogue(pws["version"], tuple(indicators), pws["groups"], pws["growth_measures"],
                     pws["conventions"], pws["morbidity"], pws["followup"])


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The repository's catalogue, loaded once per process."""
    return from_config(default_config()["pws"])
