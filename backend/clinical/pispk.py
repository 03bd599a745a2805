"""Indeks Keluarga Sehat (PIS-PK) from a household's 12 indicators (JS twin: pispk.js)."""

from __future__ import annotations

from backend.clinical import bands
from backend.clinical.errors import ClinicalInputError
from backend.clinical.growth import round_half_up


def family_health_index(config: dict, *, pis_pk: dict) -> dict:
    """IKS = Y / (12 - N); every indicator must be Y, T or N (N = not applicable)."""
    spec = config["pispk"]
    codes = [indicator["code"] for indicator in spec["indicators"]]
    if not isinstance(pis_pk, dict):
        raise ClinicalInputError("pis_pk", "harus berupa objek indikator -> Y/T/N")
    for code in pis_pk:
        if code not in codes:
            raise ClinicalInputError(f"pis_pk.{code}", "indikator tidak dikenal")
    for code in codes:
        if pis_pk.get(code) not in ("Y", "T", "N"):
            raise ClinicalInputError(f"pis_pk.{code}", "harus Y, T atau N")
    counts = {value: sum(1 for code in codes if pis_pk[code] == value) for value in "YTN"}
    applicable = len(codes) - counts["N"]
    if applicable == 0:
        return {"iks": None, "category": None, "label": None, "counts": counts}
    ratio = counts["Y"] / applicable
    band = bands.pick(spec["bands"], ratio)
    return {"iks": round_half_up(ratio, spec["decimals"]), "category": band["code"],
            "label": band["label"], "counts": counts}
