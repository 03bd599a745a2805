"""Filled-in screening questionnaires: answers, score and result, scored as
config/ilp/instruments.json scores them (docs/domain.md §4). Instrument, item ids are the config's;
tests/demo checks them against the file."""

from __future__ import annotations

import random

from backend.demo.common import chance

SRQ_ITEMS = tuple(str(i) for i in range(1, 21))
KPSP_ITEMS = tuple(str(i) for i in range(1, 11))
# AKS (Barthel) items with their maximum; 20 in total means independent.
AKS_ITEMS = (("bab", 2), ("bak", 2), ("membersihkan_diri", 1), ("toilet", 2), ("makan", 2),
             ("berpindah", 3), ("mobilitas", 3), ("berpakaian", 2), ("tangga", 2), ("mandi", 1))
AKS_BANDS = ((4, "ketergantungan_total"), (8, "ketergantungan_berat"),
             (11, "ketergantungan_sedang"), (19, "ketergantungan_ringan"), (20, "mandiri"))
# SKILAS: domain -> items with the answer that counts as a finding.
SKILAS_DOMAINS = (
    ("kognitif", (("ingat_3_kata", False), ("orientasi", False))),
    ("mobilisasi", (("berdiri_kursi", False),)),
    ("malnutrisi", (("bb_turun", True), ("nafsu_makan", True), ("lila_kurang_21", True))),
    ("penglihatan", (("masalah_mata", True), ("hitung_jari", False))),
    ("pendengaran", (("tes_bisik", False),)),
    ("depresi", (("sedih", True), ("minat_turun", True))),
)
TB_ADDITIONAL = ("bb_turun", "demam", "lesu", "keringat_malam", "sesak", "benjolan")
PUMA_CUTOFF = 6     # [cfg] in docs/domain.md §4; the config's default


def _screening(instrument: str, answers: dict, score: float | None, result: str) -> dict:
    out = {"instrument": instrument, "answers": answers, "result": result}
    if score is not None:
        out["score"] = score
    return out


def _yes_count(rng: random.Random, items: tuple[str, ...], yes: int) -> dict:
    chosen = set(rng.sample(items, yes))
    return {item: item in chosen for item in items}


def srq20(rng: random.Random, distressed: bool) -> dict:
    """>= 6 "ya" means a possible mental-emotional problem, to be referred."""
    yes = rng.randint(6, 13) if distressed else rng.choices(range(6), (40, 20, 15, 10, 8, 7))[0]
    answers = _yes_count(rng, SRQ_ITEMS, yes)
    if not distressed or not chance(rng, 0.1):
        answers["17"] = False   # thoughts of ending life: rare, and only among the distressed
    score = sum(answers.values())
    return _screening("srq20", answers, score, "kemungkinan_masalah" if score >= 6 else "normal")


def kpsp(rng: random.Random) -> dict:
    yes = rng.choices((10, 9, 8, 7, 6, 5), (60, 25, 6, 4, 3, 2))[0]
    result = "sesuai" if yes >= 9 else "meragukan" if yes >= 7 else "penyimpangan"
    return _screening("kpsp", _yes_count(rng, KPSP_ITEMS, yes), yes, result)


def smoking(smoker: bool) -> dict:
    return _screening("merokok", {"merokok": smoker}, int(smoker),
                      "perokok" if smoker else "bukan_perokok")


def puma(rng: random.Random, sex: str, age: int, pack_years: float) -> dict:
    """PUMA for smokers >= 40; sex and age points are derived from the person."""
    answers = {"pack_years": pack_years, "sesak": chance(rng, 0.25),
               "dahak": chance(rng, 0.3), "batuk": chance(rng, 0.3),
               "spirometri": chance(rng, 0.03)}
    score = (sex == "L") + (0 if age < 50 else 1 if age < 60 else 2)
    score += 0 if pack_years < 20 else 1 if pack_years <= 30 else 2
    score += sum(answers[k] for k in ("sesak", "dahak", "batuk", "spirometri"))
    return _screening("puma", answers, score, "risiko_ppok" if score >= PUMA_CUTOFF else "normal")


def aks(rng: random.Random, age: int) -> dict:
    """Barthel ADL: dependency grows with age (Permenkes 67/2015)."""
    answers = {item: top for item, top in AKS_ITEMS}
    dependent = chance(rng, 0.08 if age < 70 else 0.2 if age < 80 else 0.45)
    for _ in range(rng.choice((1, 2, 3, 5, 8, 12)) if dependent else 0):
        item = rng.choice([i for i, v in answers.items() if v > 0] or ["mandi"])
        answers[item] = max(0, answers[item] - 1)
    score = sum(answers.values())
    return _screening("aks", answers, score, next(code for top, code in AKS_BANDS
                                                  if score <= top))


def skilas(rng: random.Random, age: int) -> dict:
    """Six domains; any positive domain needs a health worker's follow-up."""
    rate = 0.06 if age < 70 else 0.12 if age < 80 else 0.22
    answers, positive = {}, 0
    for _domain, items in SKILAS_DOMAINS:
        found = chance(rng, rate)
        flagged = rng.randrange(len(items)) if found else -1
        for i, (item, finding) in enumerate(items):
            answers[item] = finding if i == flagged else not finding
        positive += found
    return _screening("skilas", answers, positive,
                      "perlu_tindak_lanjut" if positive else "normal")


def tb_symptoms(rng: random.Random, has_tb: bool, risk: bool, contact: bool) -> dict:
    """Terduga TB: cough; or a TB contact or risk factor with >= 1 additional symptom."""
    answers = {"batuk": has_tb or chance(rng, 0.025)}
    for item in TB_ADDITIONAL:
        answers[item] = chance(rng, 0.45 if has_tb else 0.01)
    answers["kontak_tb"], answers["faktor_risiko"] = contact, risk
    extra = any(answers[item] for item in TB_ADDITIONAL)
    suspect = answers["batuk"] or (extra and (contact or risk))
    return _screening("tb_gejala", answers, None, "terduga_tb" if suspect else "bukan_terduga")
