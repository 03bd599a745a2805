"""The ICD-10 names PWS morbidity shows come from the PWA's own list (icd10-list.js): every
row of it is read, escapes included, and a category takes its own row's name or its first
subcode's."""

from __future__ import annotations

import re

from backend.clinical import icd10
from backend.pws import morbidity


def test_every_row_of_the_pwa_list_is_read():
    text = icd10.ICD10_LIST.read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\['", text, re.MULTILINE)
    names = icd10.icd10_names()
    assert len(names) == len(rows) > 100
    assert names["G51.0"] == "Bell's palsy"        # an escaped quote in the JS source


def test_category_labels():
    assert morbidity.category_label("A09").startswith("Diare")           # its own row
    assert "ISPA" in morbidity.category_label("J06")                     # J06.9's name
    assert morbidity.category_label("Z99") == "Z99"                      # not in the list
