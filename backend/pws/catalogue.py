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

import re
from dataclasses import dataclass

from flask import has_app_context

from backend.clinical.config import default_config
from backend.clinical_config import ilp_config

PERIODS = ("monthly", "cumulative", "semester", "prevalence")
CLUSTERS = ("1", "2", "3", "4", "lintas")
# The pws_events codes the facts refresh writes (backend/pws/facts.py; docs/pws.md, "Event
# codes"); an indicator may count no other, so a typo in pws.json fails the catalogue check
# instead of counting 0.
EVENTS = (
    "anc_k1", "anc_k1_murni", "anc_k4", "anc_k6", "persalinan_fasyankes", "persalinan",
    "kf_lengkap", "kn1", "kn_lengkap", "idl", "baduta_lengkap", "vitamin_a",
    "skrining_usia_produktif", "skrining_lansia", "ht_kasus", "dm_kasus", "ht_terlayani",
    "dm_terlayani", "skrining_jiwa", "terduga_tb", "tb_diperiksa",
)
# The registered populations backend/pws/groups.py knows how to count.
REGISTERED = ("persons", "born_in_year", "pregnant_in_year", "delivered_in_year",
              "infants_in_year")
# growth_measures filter keys (all must hold, backend/pws/compute.py growth_filter): booleans,
# or lists of growth.json codes of one index.
GROWTH_FLAGS = ("weight", "height", "bbtb_any")
GROWTH_CODES = {"bbu": "bb_u", "tbu": "tb_u", "bbtb": "bb_tb"}
PLACEHOLDER = re.compile(r"\b(todo|tbd|fixme|xxx|lorem)\b|\?\?", re.IGNORECASE)


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
    # quality.json rules whose open flag on an encounter leaves its growth values out of the
    # prevalence indicators (pws.json `flagged_values`); empty when that is switched off.
    flagged_rules: tuple[str, ...] = ()

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


def flagged_rules(pws: dict, quality: dict | None) -> tuple[str, ...]:
    """The rules that leave a flagged growth value out of prevalence until it is verified
    (docs/review.md "PWS honesty"): quality.json's rules marked `pws_exclude`, when pws.json
    `flagged_values.exclude` is on."""
    if not pws.get("flagged_values", {}).get("exclude") or not quality:
        return ()
    return tuple(sorted(rule["id"] for rule in quality.get("rules", ())
                        if rule.get("pws_exclude")))


def from_config(pws: dict, quality: dict | None = None) -> Catalogue:
    indicators = []
    for spec in pws["indicators"]:
        target = spec["target"]
        indicators.append(Indicator(
            id=spec["id"], cluster=spec["cluster"], short=spec["short"], label=spec["label"],
            period=spec["period"], numerator=_measure(spec["numerator"]),
            denominator=_measure(spec["denominator"]), spm=spec["spm"],
            default_target=float(target["default"]), targets_by_year=dict(target["by_year"]),
            gap_reason=spec["gap_reason"], source=spec["source"],
            lower_is_better=spec["better"] == "lower"))
    return Catalogue(pws["version"], tuple(indicators), pws["groups"], pws["growth_measures"],
                     pws["conventions"], pws["morbidity"], pws["followup"],
                     flagged_rules(pws, quality))


_BUILT: dict[int, tuple[dict, Catalogue]] = {}   # id(config) -> (config, its catalogue)


def catalogue() -> Catalogue:
    """The catalogue of this installation's config/ilp (ILP_CONFIG_DIR: the config the facts
    were derived with, backend/pws/refresh.py), or the repository's outside an app; built once
    per config. Refuses a malformed pws.json."""
    config = ilp_config() if has_app_context() else default_config()
    built = _BUILT.get(id(config))
    if built is None or built[0] is not config:
        found = problems(config["pws"], config["growth"])
        if found:
            raise ValueError("pws.json: " + "; ".join(found))
        built = _BUILT[id(config)] = (config, from_config(config["pws"], config.get("quality")))
    return built[1]


def problems(pws: dict, growth: dict) -> list[str]:
    """Everything wrong with a pws.json, checked against the growth.json it filters on.

    Pure, so a test (tests/pws/test_catalogue.py) and the loader share it: a misspelt event
    code or growth category would otherwise count nobody and show a desa as Jelek."""
    found = [*_convention_problems(pws), *_group_problems(pws), *_growth_problems(pws, growth),
             *_setting_problems(pws), *_flagged_problems(pws)]
    seen: set[str] = set()
    for spec in pws["indicators"]:
        if spec["id"] in seen:
            found.append(f"{spec['id']}: duplicate id")
        seen.add(spec["id"])
        found += [f"{spec['id']}: {problem}" for problem in _indicator_problems(pws, spec)]
    return found


def _indicator_problems(pws: dict, spec: dict) -> list[str]:
    found = []
    if spec.get("cluster") not in CLUSTERS:
        found.append(f"cluster {spec.get('cluster')!r} not in {CLUSTERS}")
    if spec.get("period") not in PERIODS:
        found.append(f"period {spec.get('period')!r} not in {PERIODS}")
    if spec.get("better") not in ("higher", "lower"):
        found.append("better must be higher or lower")
    for field in ("short", "label", "gap_reason", "source", "evaluator"):
        if not str(spec.get(field) or "").strip():
            found.append(f"{field} is empty")
    if "config/" in str(spec.get("source")):
        found.append("source is shown to users: the config reference belongs in evaluator")
    found += _measure_problems(pws, spec.get("numerator", {}), "numerator", ("event", "growth"))
    found += _measure_problems(pws, spec.get("denominator", {}), "denominator",
                               ("event", "growth", "group"))
    if spec.get("period") == "prevalence" and "growth" not in spec.get("denominator", {}):
        found.append("a prevalence is among those measured: its denominator is a growth measure")
    found += _target_problems(spec)
    found += [f"placeholder text in {path}" for path, text in _texts(spec)
              if PLACEHOLDER.search(text)]
    return found


def _measure_problems(pws: dict, spec: dict, side: str, kinds: tuple[str, ...]) -> list[str]:
    present = [kind for kind in ("event", "growth", "group") if kind in spec]
    if len(present) != 1 or present[0] not in kinds:
        return [f"{side} needs exactly one of {kinds}, has {present}"]
    kind, code = present[0], spec[present[0]]
    known = {"event": EVENTS, "growth": pws["growth_measures"], "group": pws["groups"]}[kind]
    found = [] if code in known else [f"{side} {kind} {code!r} is not defined"]
    if not str(spec.get("text") or "").strip():
        found.append(f"{side} text is empty")
    return found


def _target_problems(spec: dict) -> list[str]:
    target = spec.get("target", {})
    values = {"default": target.get("default"), **target.get("by_year", {})}
    found = [f"target {key} {value!r} not a percent 0-100" for key, value in values.items()
             if isinstance(value, bool) or not isinstance(value, (int, float))
             or not 0 <= value <= 100]
    found += [f"target year {year!r} is not a year" for year in target.get("by_year", {})
              if not re.fullmatch(r"20\d\d", year)]
    if not isinstance(target.get("cfg"), bool):
        found.append("target.cfg must be true or false")
    if target.get("cfg") and not target.get("note"):
        found.append("a [cfg] target needs a note saying why")
    if spec.get("spm") and (target.get("cfg") or set(values.values()) != {100}):
        found.append("an SPM indicator's target is 100 % every year, not [cfg]")
    return found


def _convention_problems(pws: dict) -> list[str]:
    found = []
    for key, convention in pws["conventions"].items():
        if not isinstance(convention.get("value"), (int, float)) or convention["value"] <= 0:
            found.append(f"convention {key}: value must be a positive number")
        if convention.get("cfg") is not True or not convention.get("note"):
            found.append(f"convention {key}: a convention is [cfg] (cfg: true and a note)")
        if not convention.get("source"):
            found.append(f"convention {key}: source is empty")
    return found


def _flagged_problems(pws: dict) -> list[str]:
    """`flagged_values` (optional) is a [cfg] switch: a boolean with its source and note."""
    spec = pws.get("flagged_values")
    if spec is None:
        return []
    found = []
    if not isinstance(spec.get("exclude"), bool):
        found.append("flagged_values: exclude must be true or false")
    if spec.get("cfg") is not True or not spec.get("note") or not spec.get("source"):
        found.append("flagged_values: a [cfg] switch (cfg: true, a source and a note)")
    return found


def _setting_problems(pws: dict) -> list[str]:
    """Morbidity watch list (3-character ICD-10 categories) and the follow-up due days."""
    found = []
    morbidity, followup = pws["morbidity"], pws["followup"]
    if not (isinstance(morbidity.get("top"), int) and morbidity["top"] > 0):
        found.append("morbidity.top must be a positive whole number")
    for watch in morbidity.get("watch", []):
        if not watch.get("label") or not watch.get("codes") or not all(
                re.fullmatch(r"[A-Z]\d\d", code) for code in watch["codes"]):
            found.append(f"morbidity watch {watch.get('label')!r}: label and ICD-10 categories")
    if not (isinstance(followup.get("due_days"), int) and followup["due_days"] > 0):
        found.append("followup.due_days must be a positive whole number")
    for key, section in (("morbidity", morbidity), ("followup", followup)):
        if section.get("cfg") is not True or not section.get("note"):
            found.append(f"{key} is [cfg]: cfg true and a note")
    return found


def _group_problems(pws: dict) -> list[str]:
    found = []
    for key, group in pws["groups"].items():
        registered = group.get("registered")
        if isinstance(registered, dict):
            found += _registered_problems(key, registered)
        elif registered not in REGISTERED:
            found.append(f"group {key}: registered {registered!r} unknown")
        convention = group.get("convention")
        if convention is None:
            continue
        if convention.get("of") not in pws["groups"] or convention.get("of") == key:
            found.append(f"group {key}: convention of {convention.get('of')!r} is no other group")
        if "factor_cfg" in convention and convention["factor_cfg"] not in pws["conventions"]:
            found.append(f"group {key}: factor_cfg {convention['factor_cfg']!r} undefined")
        factor = convention.get("factor")
        if "factor_cfg" not in convention and not (
                isinstance(factor, (int, float)) and not isinstance(factor, bool) and factor > 0):
            found.append(f"group {key}: convention needs a positive factor or a factor_cfg")
        if convention.get("cfg") is not True or not convention.get("source"):
            found.append(f"group {key}: a convention is [cfg] with a source")
    return found


def _registered_problems(key: str, registered: dict) -> list[str]:
    if list(registered) == ["event"]:
        return [] if registered["event"] in EVENTS else [f"group {key}: event unknown"]
    if len(registered) != 1 or next(iter(registered)) not in ("age_months", "age_years"):
        return [f"group {key}: registered {registered!r} unknown"]
    low, high = next(iter(registered.values()))
    if not isinstance(low, int) or not (high is None or (isinstance(high, int) and high > low)):
        return [f"group {key}: age range [{low}, {high}) is not a range"]
    return []


def _growth_problems(pws: dict, growth: dict) -> list[str]:
    """Filters name real growth.json codes: categories of the WHO 2006 indices (balita are
    0-60 months) and weight_trend codes (the letters N, T, B, O)."""
    categories = growth["categories"]["who2006"]
    trend_codes = set(growth["weight_trend"]["letters"])
    found = []
    for name, measure in pws["growth_measures"].items():
        if not str(measure.get("label") or "").strip():
            found.append(f"growth measure {name}: label is empty")
        filters = {key: value for key, value in measure.items() if key != "label"}
        if not filters:
            found.append(f"growth measure {name}: filters nothing")
        for key, value in filters.items():
            if key in GROWTH_FLAGS:
                valid = value is True
            elif key == "trend":
                valid = bool(value) and set(value) <= trend_codes
            elif key in GROWTH_CODES:
                codes = {band["code"] for band in categories[GROWTH_CODES[key]]}
                valid = bool(value) and set(value) <= codes
            else:
                valid = False
            if not valid:
                found.append(f"growth measure {name}: {key} {value!r} is not a growth.json code")
    return found


def _texts(value: object, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _texts(item, f"{path}.{key}")]
    return []
