"""Classifiers for single measurements: blood pressure, glucose, adult BMI, waist, Hb, LiLA and
fever. Cut-offs live in config/ilp/classifiers.json (JS twin: classifiers.js)."""

from __future__ import annotations

from backend.clinical import bands, validate
from backend.clinical.dates import in_age_range, parse_date
from backend.clinical.errors import ClinicalInputError
from backend.clinical.growth import round_half_up


def _subject(sex: str | None, birth_date: str | None, date: str | None,
             pregnant: bool = False) -> dict:
    on = None if date is None else parse_date(date, "date")
    birth = None if birth_date is None else validate.past_date(birth_date, "birth_date", on)
    return bands.subject(sex=sex, birth=birth, on=on, pregnant=pregnant)


def _below_age(subject: dict, min_age: str) -> bool:
    """True only when the age is known and under `min_age`."""
    if subject["birth"] is None or subject["on"] is None:
        return False
    return not in_age_range(subject["birth"], subject["on"], [min_age, None])


def _result(band: dict, labels: dict | None = None, **extra) -> dict:
    label = band.get("label") or (labels or {}).get(band["code"])
    return {"category": band["code"], "label": label, **extra}


def classify_bp(config: dict, *, sbp: float, dbp: float, birth_date: str | None = None,
                date: str | None = None) -> dict:
    """The worse of the systolic and diastolic bands; refer from 140/90."""
    systolic, diastolic = validate.blood_pressure(config, sbp, dbp)
    rules = config["classifiers"]["blood_pressure"]
    if _below_age(_subject(None, birth_date, date), rules["min_age"]):
        return {"category": None, "label": None, "refer": False, "reason": "di_bawah_umur"}
    scheme = rules["schemes"][rules["scheme"]]
    order = scheme["codes"]
    worst = max(bands.pick(scheme["sbp"], systolic)["code"],
                bands.pick(scheme["dbp"], diastolic)["code"], key=order.index)
    refer = systolic >= rules["refer_at"]["sbp"] or diastolic >= rules["refer_at"]["dbp"]
    return {"category": worst, "label": scheme["labels"][worst], "refer": refer,
            "scheme": rules["scheme"]}


def classify_glucose(config: dict, *, glucose_mgdl: float | None = None,
                     glucose_type: str | None = None, hba1c_pct: float | None = None,
                     symptoms: bool = False) -> dict:
    """The most severe finding among a glucose reading (GDS/GDP/GD2PP) and HbA1c."""
    rules = config["classifiers"]["glucose"]
    findings = []
    if glucose_mgdl is not None:
        value = validate.measurement(config, "glucose_mgdl", glucose_mgdl)
        if glucose_type not in ("GDS", "GDP", "GD2PP"):
            raise ClinicalInputError("glucose_type", "harus GDS, GDP atau GD2PP")
        code = bands.pick(rules[glucose_type], value)["code"]
        if glucose_type == "GDS" and code == "diabetes" and not validate.yes_no(symptoms,
                                                                                 "symptoms"):
            code = rules["gds_without_symptoms"]
        findings.append((code, glucose_type))
    if hba1c_pct is not None:
        value = validate.measurement(config, "hba1c_pct", hba1c_pct)
        findings.append((bands.pick(rules["hba1c"], value)["code"], "HbA1c"))
    if not findings:
        raise ClinicalInputError("glucose_mgdl", "isi gula darah atau HbA1c")
    code = max((code for code, _ in findings), key=rules["severity"].index)
    basis = [source for found, source in findings if found == code]
    return {"category": code, "label": rules["labels"][code], "refer": code in rules["refer"],
            "basis": basis}


def classify_bmi(config: dict, *, bmi: float | None = None, weight_kg: float | None = None,
                 height_cm: float | None = None, birth_date: str | None = None,
                 date: str | None = None) -> dict:
    """Adult BMI (>= 18 y), rounded to one decimal first so band edges are unambiguous."""
    rules = config["classifiers"]["bmi_adult"]
    if bmi is None:
        weight = validate.measurement(config, "weight_kg", weight_kg)
        height = validate.measurement(config, "height_cm", height_cm)
        bmi = weight / (height / 100 * (height / 100))
    value = round_half_up(validate.measurement(config, "bmi", bmi), rules["decimals"])
    if _below_age(_subject(None, birth_date, date), rules["min_age"]):
        return {"bmi": value, "category": None, "label": None, "reason": "gunakan_imt_u"}
    scheme = rules["schemes"][rules["scheme"]]
    return _result(bands.pick(scheme["bands"], value), bmi=value, scheme=rules["scheme"])


def classify_waist(config: dict, *, waist_cm: float, sex: str) -> dict:
    value = validate.measurement(config, "waist_cm", waist_cm)
    rules = config["classifiers"]["waist"]
    return _result(bands.pick(rules["by_sex"][validate.sex(sex)], value))


def _grouped(config: dict, rule: str, field: str, value: object, subject: dict) -> dict:
    """Classify with the first group (by age, sex, pregnancy) that applies; none -> no class."""
    number = validate.measurement(config, field, value)
    rules = config["classifiers"][rule]
    group = bands.first_group(rules["groups"], subject)
    if group is None:
        return {"category": None, "label": None, "group": None, "reason": "tidak_berlaku"}
    return _result(bands.pick(group["bands"], number), rules.get("labels"), group=group["code"])


def classify_hb(config: dict, *, hb_gdl: float, sex: str, birth_date: str, date: str,
                pregnant: bool = False) -> dict:
    """Anaemia by WHO 2011 group thresholds and severity."""
    subject = _subject(validate.sex(sex), birth_date, date, validate.yes_no(pregnant, "pregnant"))
    result = _grouped(config, "hb", "hb_gdl", hb_gdl, subject)
    result["anaemic"] = result["category"] not in (None, "normal")
    return result


def classify_muac(config: dict, *, muac_cm: float, sex: str, birth_date: str, date: str,
                  pregnant: bool = False) -> dict:
    """LiLA: KEK for pregnant women and WUS, wasting for children 6-59 months."""
    subject = _subject(validate.sex(sex), birth_date, date, validate.yes_no(pregnant, "pregnant"))
    return _grouped(config, "muac", "muac_cm", muac_cm, subject)


def classify_fever(config: dict, *, temp_c: float) -> dict:
    value = validate.measurement(config, "temp_c", temp_c)
    return _result(bands.pick(config["classifiers"]["fever"]["bands"], value))
