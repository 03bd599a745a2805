"""The Puskesmas laboratory's tests as clinical knowledge (JS twin: lab.js). Rules:
config/ilp/lab.json.

A test is a `measurement` (Hb, glucose, cholesterol, HbA1c: the lab encounter's
`measurements`, where the classifiers read them, limits from classifiers.json
`input_limits`), `numeric` (asam urat: a number within the test's limits) or `categorical`
(protein urin, BTA, TCM, HIV, sifilis, HBsAg, golongan darah: one of the listed results).
The other two go in the encounter's `lab_results` as {test, value} or {test, result}.
"""

from __future__ import annotations

import math

from backend.clinical.errors import ClinicalInputError
from backend.clinical.finding_text import number

VALUE_KINDS = ("measurement", "numeric")
ITEM_KEYS = ("test", "value", "result")


def lab_tests(config: dict) -> list[dict]:
    """Every test of lab.json in its order, with the input limits resolved (a measurement's
    come from classifiers.json), for order lists and the result form."""
    limits = config["classifiers"]["input_limits"]
    tests = []
    for test in config["lab"]["tests"]:
        entry = {key: value for key, value in test.items() if key != "limits"}
        entry["limits"] = (list(limits[test["measurement"]]) if test["kind"] == "measurement"
                           else list(test["limits"]) if "limits" in test else None)
        tests.append(entry)
    return tests


def _by_code(config: dict) -> dict[str, dict]:
    return {test["code"]: test for test in lab_tests(config)}


def _value_errors(test: dict, item: dict) -> dict[str, list[str]]:
    if "result" in item:
        return {"result": ["pemeriksaan ini berupa angka: isi value, bukan result"]}
    if "value" not in item:
        return {"value": ["wajib diisi"]}
    value = item["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return {"value": ["harus berupa angka"]}
    low, high = test["limits"]
    if not low <= value <= high:
        unit = f" {test['unit']}" if test.get("unit") else ""
        return {"value": [f"di luar batas isian {number(low)}-{number(high)}{unit}"]}
    return {}


def _result_errors(test: dict, item: dict) -> dict[str, list[str]]:
    if "value" in item:
        return {"value": ["pemeriksaan ini berupa hasil berkode: isi result, bukan value"]}
    if "result" not in item:
        return {"result": ["wajib diisi"]}
    if item["result"] not in [result["code"] for result in test["results"]]:
        allowed = ", ".join(result["label"]["id"] for result in test["results"])
        return {"result": [f"hasil tidak dikenal untuk {test['short']}; pilih: {allowed}"]}
    return {}


def _item_errors(tests: dict, item: object, earlier: list[object]) -> dict[str, list[str]]:
    if not isinstance(item, dict):
        return {"test": ["harus berupa objek {test, value} atau {test, result}"]}
    unknown = {key: ["isian tidak dikenal"] for key in item if key not in ITEM_KEYS}
    if unknown:
        return unknown
    test = tests.get(item.get("test")) if isinstance(item.get("test"), str) else None
    if test is None:
        return {"test": ["wajib diisi" if "test" not in item else "pemeriksaan tidak dikenal"]}
    for row, other in enumerate(earlier, start=1):
        if not isinstance(other, dict) or not isinstance(other.get("test"), str):
            continue
        if other["test"] == test["code"]:
            return {"test": [f"{test['short']} sudah diisi di baris {row}"]}
        before = tests.get(other["test"])
        if (before is not None and test["kind"] == "measurement"
                and before.get("measurement") == test["measurement"]):
            return {"test": [f"{test['short']} dan {before['short']} (baris {row}) mengisi "
                             "pengukuran yang sama: catat sebagai hasil lab terpisah"]}
    return (_value_errors if test["kind"] in VALUE_KINDS else _result_errors)(test, item)


def lab_result_errors(config: dict, results: object) -> dict[str, dict[str, list[str]]]:
    """{} when every result is fine, else {index (as a string, as in JSON): {field:
    [messages in Indonesian]}}: unknown test, a test given twice (or two tests filling one
    measurement), a value outside the input limits, a result the test does not allow, a value
    where a coded result is due or the other way round. A non-list is an input error."""
    if not isinstance(results, list):
        raise ClinicalInputError("results", "harus berupa daftar hasil")
    tests = _by_code(config)
    errors = {}
    for index, item in enumerate(results):
        found = _item_errors(tests, item, results[:index])
        if found:
            errors[str(index)] = found
    return errors


def lab_encounter_parts(config: dict, results: object) -> dict:
    """The lab encounter's `measurements` (measurement tests, glucose with its type) and
    `lab_results` (the rest, in the given order) for checked results; results with errors
    raise ClinicalInputError("results")."""
    errors = lab_result_errors(config, results)
    if errors:
        raise ClinicalInputError("results", "hasil lab belum benar")
    tests = _by_code(config)
    measurements: dict = {}
    rest = []
    for item in results:
        test = tests[item["test"]]
        if test["kind"] == "measurement":
            measurements[test["measurement"]] = item["value"]
            measurements.update(test.get("fixed", {}))
        else:
            rest.append({key: item[key] for key in ITEM_KEYS if key in item})
    return {"measurements": measurements, "lab_results": rest}
