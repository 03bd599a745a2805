"""PWS denominators per desa, target group and year (docs/pws.md, "Denominators").

Pedoman PWS-KIA takes the denominator of a coverage from the Dinas Kesehatan's annual
estimate (sasaran) of each target group per desa. Where none was imported the catalogue's
convention estimates it from another group's official figure (lahir hidup = penduduk × CBR,
ibu hamil = 1.1 × lahir hidup, pws.json `groups[...].convention`), and where that is missing
too, the registered persons of the group count (backend/pws/groups.py). The source goes with
every number so a reader knows how firm it is:

* "resmi"      the imported official sasaran;
* "konvensi"   convention × an official figure of another group (never of an estimate:
               an estimate of an estimate drifts from any figure anyone can check);
* "terdaftar"  the persons registered in Siklus who belong to the group;
* "terukur"    (event and growth denominators) the persons counted as measured or found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from backend.pws import groups
from backend.pws.catalogue import Catalogue, catalogue
from backend.pws.months import Month
from backend.pws.tables import sasaran

SOURCES = ("resmi", "konvensi", "terdaftar", "terukur")
# The weakest source of the desa summed into a total names the total's source.
_FIRMNESS = {"resmi": 3, "konvensi": 2, "terdaftar": 1, "terukur": 0}


@dataclass(frozen=True)
class Denominator:
    value: int
    source: str


def weakest(sources: Iterable[str]) -> str | None:
    """The least firm of several sources (a Puskesmas total of desa with different ones)."""
    sources = list(sources)
    return min(sources, key=_FIRMNESS.__getitem__) if sources else None


def official(desa: Sequence[str], years: Iterable[int],
             conn: sa.Connection) -> dict[tuple[str, int, str], int]:
    """{(desa, year, group): value} of the imported sasaran, one query."""
    query = sa.select(sasaran.c.desa, sasaran.c.year, sasaran.c.target_group, sasaran.c.value) \
        .where(sasaran.c.desa.in_(list(desa)), sasaran.c.year.in_(sorted(set(years))))
    return {(row[0], int(row[1]), row[2]): int(row[3]) for row in conn.execute(query)}


def convention_factor(cat: Catalogue, key: str) -> tuple[str, Decimal] | None:
    """(group it multiplies, factor) of a group's convention, or None without one."""
    convention = cat.groups[key].get("convention")
    if convention is None:
        return None
    if "factor_cfg" in convention:
        factor = cat.conventions[convention["factor_cfg"]]["value"]
    else:
        factor = convention["factor"]
    return convention["of"], Decimal(str(factor))


def persons_of(value: Decimal) -> int:
    """An estimate in whole persons, half up (1.1 × 45 = 49.5 → 50 ibu hamil)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def resolve(keys: Sequence[str], desa: Sequence[str], months: Sequence[Month],
            conn: sa.Connection, cat: Catalogue | None = None
            ) -> dict[tuple[Month, str, str], Denominator]:
    """{(month, desa, group): Denominator} for each month (its year's sasaran, the registered
    persons as of its end). Two queries whatever the number of desa, groups and months: the
    sasaran, then one grouped count of the groups some desa has to fall back to."""
    cat = cat or catalogue()
    keys, months = sorted(set(keys)), sorted(set(months))
    sas = official(desa, {month.year for month in months}, conn)
    result: dict[tuple[Month, str, str], Denominator] = {}
    fallback: list[tuple[Month, str, str]] = []
    for month in months:
        for code in desa:
            for key in keys:
                found = _estimate(cat, sas, code, month.year, key)
                if found is None:
                    fallback.append((month, code, key))
                else:
                    result[(month, code, key)] = found
    if fallback:
        registered = groups.counts(sorted({key for _, _, key in fallback}),
                                   sorted({code for _, code, _ in fallback}),
                                   sorted({month for month, _, _ in fallback}), conn)
        for month, code, key in fallback:
            result[(month, code, key)] = Denominator(registered.get((month, code, key), 0),
                                                     "terdaftar")
    return result


def _estimate(cat: Catalogue, sas: dict, code: str, year: int, key: str) -> Denominator | None:
    """The official figure, else the convention over another group's official figure."""
    value = sas.get((code, year, key))
    if value is not None:
        return Denominator(value, "resmi")
    convention = convention_factor(cat, key)
    base = sas.get((code, year, convention[0])) if convention else None
    if base is not None:
        return Denominator(persons_of(base * convention[1]), "konvensi")
    return None
