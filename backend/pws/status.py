"""The PWS-KIA status of a desa for one indicator and month (docs/pws.md, "Status").

Pedoman PWS-KIA (Kemenkes 2010) sets each desa's cumulative coverage against the cumulative
target line and this month's coverage against last month's:

| status | vs cumulative target | vs last month |
|--------|----------------------|---------------|
| baik   | at or above          | rising        |
| kurang | at or above          | falling       |
| cukup  | below                | rising        |
| jelek  | below                | falling       |

Decisions the guideline leaves open (pws.json `status.decisions`, tested by
tests/vectors/pws_status.json):
* values are compared as given: the board passes exact fractions (backend/pws/compute.py),
  so "exactly at the target" is exact (1 of 12 persons against 100 % × 1/12) and a coverage
  shown as 95.0 that is really 94.96 is below a 95 target;
* reaching the target exactly counts as at the target (≥);
* an unchanged month, or no previous month to compare with, counts as rising (not falling);
* for an indicator whose target is a ceiling (stunting prevalence), "at the target" is ≤ and
  "rising" means the prevalence did not go up; `direction` still reports the number's own
  movement ("naik" = the prevalence went up), which is what the arrow on the graph shows;
* no cumulative coverage (denominator 0) → no status.
"""

from __future__ import annotations

from numbers import Real

STATUSES = ("baik", "kurang", "cukup", "jelek")
LABELS = {"baik": "Baik", "kurang": "Kurang", "cukup": "Cukup", "jelek": "Jelek"}


def direction(coverage: Real | None, previous: Real | None) -> str:
    """"naik", "turun" or "tetap": this month's coverage against last month's."""
    if coverage is None or previous is None or coverage == previous:
        return "tetap"
    return "naik" if coverage > previous else "turun"


def pws_status(coverage_cum: Real | None, target_cum: Real, coverage_month: Real | None,
               previous_month: Real | None, lower_is_better: bool = False) -> str | None:
    """The status word, or None when there is no coverage to judge (no denominator)."""
    if coverage_cum is None:
        return None
    moved = direction(coverage_month, previous_month)
    if lower_is_better:
        on_target = coverage_cum <= target_cum
        improving = moved != "naik"
    else:
        on_target = coverage_cum >= target_cum
        improving = moved != "turun"
    if on_target:
        return "baik" if improving else "kurang"
    return "cukup" if improving else "jelek"
