"""The monthly evaluation (evaluasi bulanan) the Puskesmas holds with all Pustu (issue 12 §9).

One report per month, assembled from what PWS already computes, never recounted here:
* the status of every desa on every indicator, per cluster (backend/pws/compute.py `board`:
  coverage, cumulative target line, PWS-KIA status, direction, rank);
* how many indicators each desa has in each status;
* the largest gaps: the desa × indicator cells furthest from the target line, in persons;
* the denominators used (official sasaran, convention, registered or measured), per target
  group and desa;
* the follow-up created last month and its outcomes (backend/pws/followup.py `progress`);
* morbidity highlights: the top causes and the watch codes (backend/pws/morbidity.py).

Pedoman PWS-KIA (Kemenkes 2010, Bab V "Pemanfaatan PWS-KIA") asks for this monthly review:
each desa's position against the target line, the desa needing attention first (Jelek, then
Cukup), and the follow-up agreed. The report carries no name: dinkes may read it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from backend.pws import compute, followup, morbidity
from backend.pws.catalogue import Catalogue, catalogue
from backend.pws.months import Month
from backend.pws.status import STATUSES

CLUSTER_LABELS = {"2": "Klaster 2 - Ibu dan anak", "3": "Klaster 3 - Usia dewasa dan lansia",
                  "4": "Klaster 4 - Penanggulangan penyakit menular"}
SOURCE_LABELS = {"resmi": "Resmi (Dinkes)", "konvensi": "Konvensi", "terdaftar": "Terdaftar",
                 "terukur": "Terukur (yang diukur)"}
DIRECTION_LABELS = {"naik": "Naik", "turun": "Turun", "tetap": "Tetap"}
# task outcome codes (backend/documents/schemas.py TASK_OUTCOMES) in words
OUTCOME_LABELS = {"datang": "Datang", "tidak_datang": "Tidak datang", "dirujuk": "Dirujuk",
                  "pindah": "Pindah", "meninggal": "Meninggal"}
LARGEST_GAPS = 10
GAPS_PER_INDICATOR = 2   # the worst two desa of an indicator; then the next indicator


def _largest_gaps(cells: list[dict], indicators: dict[str, dict], names: dict[str, str],
                  count: int = LARGEST_GAPS) -> list[dict]:
    """The cells below their target line with the most persons missing, most first (ties:
    worse status first, then indicator order), at most GAPS_PER_INDICATOR per indicator; a cell
    without a gap (on target, or no denominator) is never listed. The cap keeps one large
    programme (every adult for skrining jiwa) from filling the list: the meeting sees the
    worst desa of several programmes."""
    order = {key: index for index, key in enumerate(indicators)}
    worst = {status: index for index, status in enumerate(reversed(STATUSES))}
    missing = [c for c in cells if c.get("gap_persons")]
    missing.sort(key=lambda c: (-c["gap_persons"], worst.get(c["status"], 9),
                                order[c["indicator"]], c["desa"]))
    return [{"indicator": c["indicator"], "short": indicators[c["indicator"]]["short"],
             "label": indicators[c["indicator"]]["label"], "desa": c["desa"],
             "desa_name": names[c["desa"]], "gap_persons": c["gap_persons"],
             "num_cum": c["num_cum"], "denominator": c["denominator"],
             "coverage_cum": c["coverage_cum"], "target_cum": c["target_cum"],
             "status": c["status"]} for c in _capped(missing, count)]


def _capped(cells: list[dict], count: int) -> list[dict]:
    taken: Counter = Counter()
    kept = []
    for cell in cells:
        if taken[cell["indicator"]] < GAPS_PER_INDICATOR:
            taken[cell["indicator"]] += 1
            kept.append(cell)
    return kept[:count]


def _status_counts(cells: list[dict], desa: list[dict], doubt: dict) -> list[dict]:
    """Per desa: how many indicators are Baik, Kurang, Cukup, Jelek (and without status), and
    what the figures rest on that is not reviewed yet (records with open flags, possible
    duplicates: the board's `doubt`, docs/review.md "PWS honesty")."""
    counts = {d["code"]: Counter() for d in desa}
    for cell in cells:
        counts[cell["desa"]][cell["status"] or "none"] += 1
    unreviewed = {row["desa"]: row for row in doubt["desa"]}
    return [{"desa": d["code"], "desa_name": d["name"],
             **{status: counts[d["code"]][status] for status in (*STATUSES, "none")},
             "open_flags": unreviewed[d["code"]]["open_flags"],
             "duplicates": unreviewed[d["code"]]["duplicates"]}
            for d in desa]


def _denominators(cells: list[dict], cat: Catalogue, names: dict[str, str]) -> list[dict]:
    """The denominator each target group used in each desa, and which kind it was; a group
    shared by several indicators (bumil: K1, K4, K6) is listed once with their names."""
    found: dict[tuple[str, str], dict] = {}
    for cell in cells:
        indicator = cat.get(cell["indicator"])
        measure = indicator.denominator
        group = measure.code
        label = cat.groups[group]["label"] if measure.kind == "group" else measure.text
        row = found.setdefault((group, cell["desa"]), {
            "group": group, "label": label, "desa": cell["desa"],
            "desa_name": names[cell["desa"]], "value": cell["denominator"],
            "source": cell["denominator_source"], "indicators": []})
        row["indicators"].append(indicator.short)
    return sorted(found.values(), key=lambda r: (list(cat.groups).index(r["group"])
                                                 if r["group"] in cat.groups else 99,
                                                 r["group"], r["desa"]))


def report(conn: sa.Connection, desa: Sequence[str], month: Month,
           cat: Catalogue | None = None) -> dict:
    """The evaluation of `month` over `desa` (the caller's scope). Follow-up: the PWS tasks
    whose source month is the month before (created at the last evaluation) and how they were
    closed (backend/pws/followup.py). Morbidity: the month's new cases, top causes and watch
    groups per desa (backend/pws/morbidity.py)."""
    cat = cat or catalogue()
    board = compute.board(conn, desa, month, cat=cat)
    names = {d["code"]: d["name"] for d in board["desa"]}
    indicators = {i["id"]: i for i in board["indicators"]}
    by_indicator: dict[str, list[dict]] = {}
    for cell in board["cells"]:
        by_indicator.setdefault(cell["indicator"], []).append(cell)
    totals = {t["indicator"]: t for t in board["totals"]}
    clusters = []
    for cluster in sorted({i["cluster"] for i in board["indicators"]}):
        clusters.append({"cluster": cluster, "label": CLUSTER_LABELS.get(cluster,
                                                                          f"Klaster {cluster}"),
                         "indicators": [{**i, "cells": by_indicator.get(i["id"], []),
                                         "total": totals.get(i["id"])}
                                        for i in board["indicators"] if i["cluster"] == cluster]})
    previous = month.previous
    return {
        "month": str(month), "previous_month": str(previous),
        "months_elapsed": board["months_elapsed"], "desa": board["desa"],
        "clusters": clusters,
        "status_counts": _status_counts(board["cells"], board["desa"], board["doubt"]),
        "excludes_flagged": board["doubt"]["excludes_flagged"],
        "largest_gaps": _largest_gaps(board["cells"], indicators, names),
        "denominators": _denominators(board["cells"], cat, names),
        "followup": followup.progress(conn, desa, previous, previous),
        "morbidity": morbidity.report(conn, desa, month, cat),
    }
