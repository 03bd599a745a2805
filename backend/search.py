"""Name normalisation for search: case, accents, spacing and common spelling variants.

Indonesian names are written inconsistently at registration (old spelling `oe`/`dj`/`tj`,
apostrophes, double spaces); the search key folds these so `Djoko` finds `Joko`.
"""

from __future__ import annotations

import re
import unicodedata

# Ejaan lama -> EYD, applied to the key only; the stored name is left as written.
_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    for old, new in _SPELLING:
        text = text.replace(old, new)
    return text[:120]
