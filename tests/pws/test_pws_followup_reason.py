"""A PWS task's reason says each thing once, for every indicator of the catalogue
(sasaran-ui brief, item 4): the bidan reads it on a phone, and "Balita belum ditimbang bulan
ini: Belum ditimbang bulan ini, terakhir …" made her read the gap twice."""

from __future__ import annotations

import itertools
import re

import pytest

from backend.pws.catalogue import catalogue
from backend.pws.followup import news, reason

# What backend/pws/drilldown.py says is missing, per kind of indicator (docs/pws.md,
# "Drill-down"): the words a task's reason is built from.
MISSING = {
    "ds": ["Terakhir ditimbang 29 Okt 2026", "Belum pernah ditimbang",
           "Belum ditimbang bulan ini, terakhir 29 Okt 2026"],
    "nd": ["Tidak naik (T), ditimbang 3 Nov 2026",
           "Tidak naik 2 kali berturut-turut (2T), ditimbang 3 Nov 2026",
           "Bulan lalu tidak ditimbang (O), ditimbang 3 Nov 2026"],
    "bgm": ["Berat badan sangat kurang (severely underweight), diukur 3 Nov 2026"],
    "stunting": ["Pendek (stunted), diukur 3 Nov 2026",
                 "Sangat pendek (severely stunted), diukur 3 Nov 2026"],
    "wasting": ["Gizi kurang (wasted), diukur 3 Nov 2026",
                "Gizi buruk (severely wasted), diukur 3 Nov 2026"],
    "underweight": ["Berat badan kurang (underweight), diukur 3 Nov 2026"],
    "overweight": ["Gizi lebih (overweight), diukur 3 Nov 2026",
                   "Obesitas (obese), diukur 3 Nov 2026"],
    "tb": ["Sejak 2 Okt 2026"],
}
ANC = ["ANC tercatat 2 kali; belum: K3 - trimester 2, K4 - trimester 3", "Belum: KN 2, KN 3"]
LAST = ["Terakhir 3 Mar 2026", "Belum pernah tercatat"]


def cases() -> list:
    out = []
    for indicator in catalogue().indicators:
        for missing in [*MISSING.get(indicator.id, ANC + LAST), None]:
            out.append(pytest.param(indicator.id, missing, id=f"{indicator.id}-{missing}"))
    return out


def bigrams(text: str) -> list[tuple[str, str]]:
    words = re.findall(r"\w+", text.casefold())
    return list(itertools.pairwise(words))


@pytest.mark.parametrize(("indicator", "missing"), cases())
def test_no_phrase_is_said_twice(indicator, missing):
    ind = catalogue().get(indicator)
    text = reason(ind, missing)
    assert text.startswith(ind.gap_reason)
    pairs = bigrams(text)
    assert len(pairs) == len(set(pairs)), text
    assert ": Belum" not in text and ", terakhir" not in text.split("(")[0]


def test_the_reason_reads_as_one_sentence():
    ds, nd, stunting = (catalogue().get(i) for i in ("ds", "nd", "stunting"))
    assert reason(ds, "Terakhir ditimbang 29 Okt 2026") == \
        "Balita belum ditimbang bulan ini (terakhir ditimbang 29 Okt 2026)"
    assert reason(nd, "Tidak naik (T), ditimbang 3 Nov 2026") == \
        "Berat badan balita tidak naik (ditimbang 3 Nov 2026)"
    assert reason(nd, "Tidak naik 2 kali berturut-turut (2T), ditimbang 3 Nov 2026") == \
        "Berat badan balita tidak naik — 2 kali berturut-turut (2T), ditimbang 3 Nov 2026"
    assert reason(stunting, "Pendek (stunted), diukur 3 Nov 2026") == \
        "Balita pendek (stunting) — diukur 3 Nov 2026"


def test_what_is_new_keeps_its_meaning():
    # One shared word is not cut: "Belum pernah ditimbang" must not become "pernah ditimbang".
    assert news("Balita belum ditimbang bulan ini", "Belum pernah ditimbang") == \
        "belum pernah ditimbang"
    # An abbreviation keeps its capitals.
    assert news("Ibu hamil belum lengkap K4", "ANC 2 kali") == "ANC 2 kali"
    # Nothing new: nothing added.
    assert news("Balita gizi lebih", "Gizi lebih (overweight)") == ""
    assert news("x", "") == ""
