"""Screening instruments: score the answers and read the result from config/ilp/instruments.json
(JS twin: instruments.js). Every item must be answered on its scale; a missing, unknown or
out-of-scale answer raises ClinicalInputError naming `answers.<item>`."""

from __future__ import annotations

from datetime import date

from backend.clinical import bands, validate
from backend.clinical.dates import age, parse_date
from backend.clinical.errors import ClinicalInputError
from backend.clinical.kpsp import age_form


def score_instrument(config: dict, *, instrument: str, answers: dict | None = None,
                     ya_count: int | None = None, sex: str | None = None,
                     birth_date: str | None = None, date: str | None = None) -> dict:
    """Score, result code and label, referral flag, and per-type details."""
    spec = config["instruments"]["instruments"].get(instrument)
    if spec is None:
        raise ClinicalInputError("instrument", f"instrumen tidak dikenal: {instrument}")
    on = None if date is None else parse_date(date, "date")
    birth = None if birth_date is None else validate.past_date(birth_date, "birth_date", on)
    person = bands.subject(sex=sex, birth=birth, on=on)
    if "age" in spec and birth is not None and not bands.matches({"age": spec["age"]}, person):
        raise ClinicalInputError("age", "instrumen tidak untuk umur ini")
    spec, form = _for_age(spec, birth, on)
    if ya_count is not None and spec.get("count_entry") == "ya_count":
        score, extra = validate.integer(ya_count, "ya_count", 0, len(spec["items"])), {}
    else:
        answers = _checked_answers(spec, answers)
        score, extra = SCORERS[spec["type"]](spec, answers, person)
    result = extra.pop("result", None)
    if result is None:
        band = bands.pick(_bands(spec, person), score)
        result, label = band["code"], band["label"]
    else:
        label = spec["results"][result]
    return {"instrument": instrument, "score": score, "result": result, "label": label,
            "refer": result in spec["refer"], **form, **extra}


def _for_age(spec: dict, birth: date | None, on: date | None) -> tuple[dict, dict]:
    """An instrument with one form per age (KPSP) is asked and scored on the child's form."""
    if "forms" not in spec:
        return spec, {}
    form = age_form(spec, birth, on)
    return {**spec, "items": form["items"]}, {"form": form["form"]}


def _item_ids(spec: dict) -> list[str]:
    if spec["type"] == "domains":
        return [item["id"] for domain in spec["domains"] for item in domain["items"]]
    if spec["type"] == "tb_symptoms":
        return [i["id"] for group in ("main", "additional", "modifiers") for i in spec[group]]
    return [item["id"] for item in spec["items"] if "derive" not in item]


def _checked_answers(spec: dict, answers: object) -> dict:
    if not isinstance(answers, dict):
        raise ClinicalInputError("answers", "jawaban harus berupa objek butir -> jawaban")
    expected = _item_ids(spec)
    for key in answers:
        if key not in expected:
            raise ClinicalInputError(f"answers.{key}", "butir tidak dikenal")
    asked = asked_items(spec, answers)
    for key in expected:
        if key not in answers and key in asked:
            raise ClinicalInputError(f"answers.{key}", "wajib diisi")
    return answers


def asked_items(spec: dict, answers: dict) -> list[str]:
    """The items the form asks, given the answers so far: an item with `asked_if` only when
    each answer it names was given that way (SKILAS: the finger count only without an eye
    problem). An item not asked needs no answer and is not scored."""
    conditions = {item["id"]: item["asked_if"]
                  for item in [i for d in spec.get("domains", []) for i in d["items"]]
                  if "asked_if" in item}

    def holds(condition: dict) -> bool:
        return all(key in answers and validate.yes_no(answers[key], f"answers.{key}") == value
                   for key, value in condition.items())

    return [key for key in _item_ids(spec) if key not in conditions or holds(conditions[key])]


def _bands(spec: dict, person: dict) -> list[dict]:
    if "groups" not in spec:
        return spec["bands"]
    group = bands.first_group(spec["groups"], person)
    if group is None:
        raise ClinicalInputError("age", "instrumen tidak untuk umur ini")
    return group["bands"]


def _count_yes(spec: dict, answers: dict, person: dict) -> tuple[int, dict]:
    yes = [key for key in _item_ids(spec) if validate.yes_no(answers[key], f"answers.{key}")]
    urgent = spec.get("urgent_items")
    extra = {"urgent": any(key in yes for key in urgent)} if urgent else {}
    if "item_domains" in spec:
        # KPSP: stimulation targets the domains of the items answered "tidak" (SDIDTK)
        missed = [item["domain"] for item in spec["items"] if item["id"] not in yes]
        extra["domains_not_met"] = [code for code in spec["item_domains"] if code in missed]
    return len(yes), extra


def _item_points(item: dict, answers: dict, person: dict) -> int:
    """Points of one item: a derived person fact, a banded number, yes/no, or an integer scale."""
    field = f"answers.{item['id']}"
    if item.get("derive") == "sex":
        return item["points"][validate.sex(person["sex"])]
    if item.get("derive") == "age_years":
        if person["birth"] is None:
            raise ClinicalInputError("birth_date", "umur diperlukan untuk instrumen ini")
        return bands.pick(item["bands"], age(person["birth"], person["on"])["years"])["points"]
    if item["scale"] == "number":
        low, high = item["range"]
        return bands.pick(item["bands"], validate.number(answers[item["id"]], field, low,
                                                         high))["points"]
    if item["scale"] == "yes_no":
        return int(validate.yes_no(answers[item["id"]], field))
    low, high = item["scale"]
    return validate.integer(answers[item["id"]], field, low, high)


def _sum(spec: dict, answers: dict, person: dict) -> tuple[int, dict]:
    return sum(_item_points(item, answers, person) for item in spec["items"]), {}


def _subscale_sum(spec: dict, answers: dict, person: dict) -> tuple[int, dict]:
    """SDQ: reverse-scored items, five subscales, total difficulties from four of them."""
    low, high = spec["scale"]
    points = {}
    for key in _item_ids(spec):
        value = validate.integer(answers[key], f"answers.{key}", low, high)
        points[key] = low + high - value if key in spec["reverse"] else value
    subscores = {name: sum(points[key] for key in keys)
                 for name, keys in spec["subscales"].items()}
    return sum(subscores[name] for name in spec["total_of"]), {"subscores": subscores}


def _domains(spec: dict, answers: dict, person: dict) -> tuple[int, dict]:
    """SKILAS: a domain is positive when any item gets its positive answer."""
    asked = asked_items(spec, answers)
    positive = [domain["id"] for domain in spec["domains"]
                if any(item["id"] in asked
                       and validate.yes_no(answers[item["id"]], f"answers.{item['id']}")
                       == item["positive"] for item in domain["items"])]
    result = "perlu_tindak_lanjut" if positive else "normal"
    return len(positive), {"positive_domains": positive, "result": result}


def _tb_symptoms(spec: dict, answers: dict, person: dict) -> tuple[int, dict]:
    """Terduga TBC: cough; or a TB contact or risk factor with enough additional symptoms."""
    def yes(group: str) -> list[str]:
        return [i["id"] for i in spec[group]
                if validate.yes_no(answers[i["id"]], f"answers.{i['id']}")]

    main, additional, modifiers = yes("main"), yes("additional"), yes("modifiers")
    suspect = bool(main) or (bool(modifiers) and len(additional) >= spec["additional_needed"])
    return len(main) + len(additional), {"result": "terduga_tb" if suspect else "bukan_terduga"}


SCORERS = {"count_yes": _count_yes, "sum": _sum, "subscale_sum": _subscale_sum,
           "domains": _domains, "tb_symptoms": _tb_symptoms}
