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
* numbers are compared as shown, rounded to 1 decimal, so a bar at 8.3 % against a target
  line at 8.3 % is never called below it;
* reaching the target exactly counts as at the target (≥);
* an unchanged month, or no previous month to compare with, counts as rising (not falling);
* for an indicator whose target is a ceiling (stunting prevalence), "at the target" is ≤ and
  "rising" means the prevalence did not go up; `direction` still reports the number's own
  movement ("naik" = the prevalence went up), which is what the arrow on the graph shows;
* no cumulative coverage (denominator 0) → no status.
"""

from __future__ import annotations

STATUSES = ("baik", "kurang", "cukup", "jelek")
LABELS = {"baik": "Baik", "kurang": "Kurang", "cukup": "Cukup", "jelek": "Jelek"}


def shown(percent: float) -> float:
    """A percentage as the dashboard shows it (1 decimal); status compares these values."""
    return round(percent, 1)


def direction(coverage: float | None, previous: float | None) -> str:
    """"naik", "turun" or "tetap": this month's coverage against last month's, as shown."""
    if coverage is None or previous is None or shown(coverage) == shown(previous):
        return "tetap"
    return "naik" if shown(coverage) > shown(previous) else "turun"


def pws_status(coverage_cum: float | None, target_cum: float, coverage_month: float | None,
               previous_month: float | None, lower_is_better: bool = False) -> str | None:
    """The status word, or None when there is no coverage to judge (no denominator)."""
    if coverage_cum is None:
        return None
    moved = direction(coverage_month, previous_month)
    if lower_is_better:
        on_target = shown(coverage_cum) <= shown(target_cum)
        improving = moved != "naik"
    else:
        on_target = shown(coverage_cum) >= shown(target_cum)
        improving = moved != "turun"
    if on_target:
        return "baik" if improving else "kurang"
    return "cukup" if improving else "jelek"
