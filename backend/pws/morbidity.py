"""PWS morbidity: new cases per ICD-10 category, desa and month (docs/pws.md, "Morbidity").

A new case is a diagnosis recorded with `case` = "baru" (backend/documents/schemas.py
DiagnosisSchema; "lama" is a return visit for the same illness and is not counted again), as
the LB1 monthly morbidity report counts them. Codes are grouped by their 3-character ICD-10
category (A09, J06), so J06.9 and J06.0 are one row. A visit that a later visit `corrects`
counts nothing; the correction counts instead (docs/followup.md). Cases reported by an FKTP
(encounter setting "fktp") are in `cases` and also counted in `cases_fktp`, so a reader sees
how much of a desa's burden arrives from private practice.

The top N and the watch groups (DBD, diare, ISPA, TB) come from config/ilp/pws.json
`morbidity`; the Indonesian names from the ICD-10 list the PWA shows
(backend/clinical/icd10.py reads pwa/static/js/icd10-list.js: one list, not two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from backend.clinical.icd10 import icd10_names
from backend.projections.tables import diagnoses, encounters
from backend.pws.catalogue import Catalogue, catalogue
from backend.pws.months import Month

NEW_CASE = "baru"
FKTP = "fktp"


def category_label(category: str) -> str:
    """The name of a 3-character category: the list's row for the category itself, else its
    first subcode's (J06 → J06.9 "ISPA"), else the category code when the list lacks it."""
    names = icd10_names()
    if category in names:
        return names[category]
    for code in sorted(names):
        if code.startswith(category + "."):
            return names[code]
    return category


def new_cases(conn: sa.Connection, desa: Sequence[str], month: Month) -> list[dict]:
    """[{desa, code, cases, cases_fktp}] of `month`, one grouped query."""
    e, d = encounters.c, diagnoses.c
    corrected = sa.select(e.corrects_id).where(e.corrects_id.is_not(None))
    rows = (sa.select(d.desa, sa.func.substr(d.icd10, 1, 3).label("code"),
                      sa.case((e.setting == FKTP, 1), else_=0).label("fktp"))
            .select_from(diagnoses.join(encounters, encounters.c.id == d.encounter_id))
            .where(d.desa.in_(list(desa)), d.case_type == NEW_CASE,
                   d.date >= month.first_day, d.date <= month.last_day,
                   d.encounter_id.not_in(corrected))
            .subquery())
    query = (sa.select(rows.c.desa, rows.c.code, sa.func.count(), sa.func.sum(rows.c.fktp))
             .group_by(rows.c.desa, rows.c.code))
    return [{"desa": code_desa, "code": code, "cases": int(n), "cases_fktp": int(fktp or 0)}
            for code_desa, code, n, fktp in conn.execute(query)]


def report(conn: sa.Connection, desa: Sequence[str], month: Month,
           cat: Catalogue | None = None) -> dict:
    """Top N categories of the Puskesmas, the watch groups per desa, and every row."""
    cat = cat or catalogue()
    desa = sorted(desa)
    found = new_cases(conn, desa, month)
    by_code: dict[str, int] = defaultdict(int)
    for row in found:
        by_code[row["code"]] += row["cases"]
    top_n = int(cat.morbidity["top"])
    top = sorted(by_code.items(), key=lambda item: (-item[1], item[0]))[:top_n]
    watch = []
    for group in cat.morbidity["watch"]:
        codes = set(group["codes"])
        per_desa = {code: 0 for code in desa}
        for row in found:
            if row["code"] in codes:
                per_desa[row["desa"]] += row["cases"]
        watch.append({"label": group["label"], "codes": list(group["codes"]),
                      "cases_by_desa": per_desa, "total": sum(per_desa.values())})
    rows = sorted(({**row, "label": category_label(row["code"])} for row in found),
                  key=lambda r: (r["desa"], -r["cases"], r["code"]))
    return {"month": str(month),
            "top": [{"code": code, "label": category_label(code), "cases": n}
                    for code, n in top],
            "watch": watch, "rows": rows}
