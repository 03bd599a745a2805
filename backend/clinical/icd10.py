"""The Indonesian names of ICD-10 codes: the list the PWA shows (pwa/static/js/icd10-list.js),
read from that file so there is one list, not two. PWS morbidity names its categories with it,
the review queue a visit's diagnoses, the FKTP screen its cases."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

ICD10_LIST = Path(__file__).resolve().parents[2] / "pwa" / "static" / "js" / "icd10-list.js"
_ROW = re.compile(r"^\s*\['([A-Z]\d{2}(?:\.\d{1,2})?)',\s*'((?:[^'\\]|\\.)*)'", re.MULTILINE)


@lru_cache(maxsize=1)
def icd10_names() -> dict[str, str]:
    """{code: Indonesian name} of the PWA's ICD-10 list (ICD10_ROWS in icd10-list.js)."""
    text = ICD10_LIST.read_text(encoding="utf-8")
    return {code: re.sub(r"\\(.)", r"\1", name) for code, name in _ROW.findall(text)}
