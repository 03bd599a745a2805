"""Blocks for duplicate detection (docs/review.md, "Duplicates"): which persons are worth
scoring against each other, so that no one compares every pair.

A pair is *related* by the issue's three comparisons: the same NIK, the same family (no. KK or
household), or the same desa. Within a desa only persons whose name words start alike
(`NAME_PREFIX` letters of the first or last word) and whose birth dates are near enough to
score are compared; and a pair of two different NIKs is dropped unscored when the
configuration says it can never reach the threshold (`nik_vetoes`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

NAME_PREFIX = 3      # letters of a name word that must agree for the name block


def nik_vetoes(spec: dict) -> bool:
    """Whether two different NIKs keep a pair under the threshold whatever else agrees: the
    weight of `nik_beda` plus the best weight of every other group of evidence (one of each
    group can hold) stays below it. Then such pairs are skipped unscored, on the server only:
    an adult has a NIK nine times in ten, so most blocked pairs of adults end here."""
    evidence = spec["duplicates"]["evidence"]
    own = next(item for item in evidence if item["code"] == "nik_beda")
    best: dict[str, float] = defaultdict(float)
    for item in evidence:
        if item["group"] != own["group"]:
            best[item["group"]] = max(best[item["group"]], item["weight"])
    return own["weight"] + sum(best.values()) < spec["duplicates"]["threshold"]["list"]


def two_niks(a: dict, b: dict) -> bool:
    return bool(a["nik"] and b["nik"] and a["nik"] != b["nik"])


def related(a: dict, b: dict) -> bool:
    """The issue's three comparisons: the same NIK, the same family, or the same desa. Two
    persons of different desa with nothing else in common are never a pair: a name and a birth
    date alone are shared too often across a kecamatan."""
    return any(a[key] and a[key] == b[key] for key in ("nik", "no_kk", "household", "desa"))


class Blocks:
    """The persons of `rows` by block: exact keys (NIK, no. KK, household) and name keys
    (desa + first letters of a name word), the latter sorted by birth date."""

    def __init__(self, spec: dict, rows: list[dict]) -> None:
        self.spec = spec
        self.exact: dict[tuple, list[dict]] = defaultdict(list)
        self.named: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            for key in self._exact_keys(row):
                self.exact[key].append(row)
            for key in self.name_keys(row):
                self.named[key].append(row)
        for group in self.named.values():
            group.sort(key=lambda row: row["born"])
        self.born = {key: [row["born"] for row in group] for key, group in self.named.items()}
        self.wide = dt.timedelta(days=window(spec, estimated=True))

    @staticmethod
    def _exact_keys(row: dict) -> list[tuple]:
        return [(key, row[key]) for key in ("nik", "no_kk", "household") if row[key]]

    @staticmethod
    def name_keys(row: dict) -> list[tuple]:
        return [(row["desa"], prefix) for prefix in sorted(name_prefixes(row["name_key"]))]

    def all_pairs(self) -> Iterable[tuple[dict, dict]]:
        for group in self.exact.values():
            yield from combinations(group, 2)
        for group in self.named.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if b["born"] - a["born"] > self.wide:
                        break
                    if near(self.spec, a, b):
                        yield a, b

    def partners(self, row: dict) -> Iterable[dict]:
        for key in self._exact_keys(row):
            yield from self.exact[key]
        for key in self.name_keys(row):
            group, born = self.named[key], self.born[key]
            low = bisect_left(born, row["born"] - self.wide)
            high = bisect_right(born, row["born"] + self.wide)
            yield from (other for other in group[low:high] if near(self.spec, row, other))


def near(spec: dict, a: dict, b: dict) -> bool:
    """Birth dates close enough for a pair in a name block to score."""
    estimated = a["birth_date_estimated"] or b["birth_date_estimated"]
    return abs((b["born"] - a["born"]).days) <= window(spec, estimated)


@lru_cache(maxsize=4)
def _windows(born: tuple) -> tuple[int, int]:
    """(plain, estimated) windows of a `birth_date` spec given as sorted items."""
    spec = dict(born)
    return (max(spec["tolerance_days"], 366 * spec["year_slip"]),
            spec["estimated_tolerance_days"])


def name_prefixes(key: str) -> set[str]:
    """The first letters of the first and the last word: 'Siti Nurhaliza' and 'Nurhaliza
    Siti' share a block, and so do 'Muhamad Rizky' and 'Muhammad Rizki'."""
    words = key.split(" ")
    return {words[0][:NAME_PREFIX], words[-1][:NAME_PREFIX]} - {""}


def window(spec: dict, estimated: bool) -> int:
    """The birth-date distance within which a pair without NIK or family can still score."""
    plain, wide = _windows(tuple(sorted(spec["duplicates"]["birth_date"].items())))
    return wide if estimated else plain
