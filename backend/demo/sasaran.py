"""The demo's official targets (sasaran): what a Dinas Kesehatan would publish for each desa.

A real Dinkes estimate comes from the census projection, not from the Puskesmas's register, so
it never matches the persons registered in Siklus: the Dinkes applies the pws.json conventions
(lahir hidup = penduduk × CBR, ibu hamil = 1.1 × lahir hidup, ibu bersalin = 1.05 × lahir hidup;
ILP.md §2) to its own population figure, takes bayi as the surviving lahir hidup, and estimates
the older child groups from its projection.

The demo reproduces that. Per desa (by position, so the same for every seed and scale) the
Dinkes's projection of births and children is off by a fixed bias (BIAS): some desa get a target
below the persons actually there (their coverage runs above the target line), others above it
(coverage below the line). Together with the month-to-month ups and downs of the records this
puts desa in all four PWS-KIA statuses (backend/pws/status.py; tests/demo/test_demo_pws.py).
Penduduk and the adult groups are estimated close to the register (a few percent of noise), and
hipertensi / DM are left out so that PWS shows its convention (prevalence × usia 15+), as it
would where the Dinkes publishes no such figure. Desa Pasirhalang has no official bayi and
baduta figure, so the demo also shows the last fallback, the registered persons.

The figures go in through the real import (backend/pws/sasaran.py): a CSV per year, all or
nothing, with its audit row, as a kapus would upload it.
"""

from __future__ import annotations

import random
from decimal import Decimal

import sqlalchemy as sa

from backend.demo import places
from backend.pws import groups as pws_groups
from backend.pws import sasaran as rules
from backend.pws.catalogue import Catalogue, catalogue
from backend.pws.denominators import convention_factor, persons_of
from backend.pws.months import Month

# The Dinkes projection of births and children against the register, per desa position:
# below 1 the target is small (coverage above the line), above 1 large (coverage below it).
BIAS = (0.70, 1.30, 0.80, 1.40, 0.65, 1.25, 0.75, 1.35)
CLOSE_NOISE = 0.03          # penduduk and adult groups: the projection is this close
CHILD_GROUPS = ("baduta", "balita", "balita_6_59")   # bayi: from lahir hidup, below
# Surviving infants = lahir hidup − infant deaths (Pedoman PWS-KIA, sasaran bayi), with the
# infant mortality rate of the 2020 Population Census Long Form (BPS: 16.85 per 1,000).
INFANT_MORTALITY = Decimal("0.01685")
ADULT_GROUPS = ("usia_produktif", "lansia", "usia_15_plus")
NO_CHILD_FIGURES = {"Pasirhalang": ("bayi", "baduta")}
IMPORTED_BY = "Dinas Kesehatan (demo)"


def bias(code: str) -> float:
    return BIAS[places.desa_index(code) % len(BIAS)]


def _scaled(count: int, factor: float) -> int:
    return persons_of(Decimal(str(count)) * Decimal(str(round(factor, 4))))


def figures(code: str, year: int, registered: dict[str, int], rng: random.Random,
            cat: Catalogue) -> dict[str, int]:
    """One desa's official figures for `year` from its registered persons per group."""
    skip = NO_CHILD_FIGURES.get(places.desa_name(code), ())
    result = {"penduduk": _scaled(registered.get("penduduk", 0),
                                  1 + rng.uniform(-CLOSE_NOISE, CLOSE_NOISE))}
    # The Dinkes's births: its CBR × its population, off by the desa's bias (the register's
    # own births are what coverage counts; the bias is how far the estimate misses them).
    births_of, cbr = convention_factor(cat, "lahir_hidup")
    result["lahir_hidup"] = persons_of(Decimal(result[births_of]) * cbr
                                       * Decimal(str(bias(code))))
    for key in ("bumil", "bulin"):
        of, factor = convention_factor(cat, key)
        result[key] = persons_of(Decimal(result[of]) * factor)
    if "bayi" not in skip:
        result["bayi"] = persons_of(Decimal(result["lahir_hidup"]) * (1 - INFANT_MORTALITY))
    for key in CHILD_GROUPS:
        if key not in skip:
            result[key] = _scaled(registered.get(key, 0),
                                  bias(code) * (1 + rng.uniform(-0.05, 0.05)))
    for key in ADULT_GROUPS:
        result[key] = _scaled(registered.get(key, 0), 1 + rng.uniform(-CLOSE_NOISE,
                                                                      CLOSE_NOISE))
    return result


def load(conn: sa.Connection, today_month: Month, seed: int) -> list[rules.ImportResult]:
    """Import the demo sasaran of last year and this year for every demo desa, one CSV each."""
    cat = catalogue()
    names = rules.desa_names(conn)
    codes = sorted(names)
    keys = ("penduduk", *CHILD_GROUPS, *ADULT_GROUPS)
    results = []
    for year in (today_month.year - 1, today_month.year):
        # The register as of the end of the year (or now): the population the estimate is of.
        month = today_month if year == today_month.year else Month(year, 12)
        registered = pws_groups.counts(keys, codes, [month], conn)
        by_desa = {}
        for code in codes:
            rng = random.Random(f"{seed}:sasaran:{code}:{year}")
            counts = {key: registered.get((month, code, key), 0) for key in keys}
            by_desa.update({(code, key): value
                            for key, value in figures(code, year, counts, rng, cat).items()})
        text = rules.template(year, names, cat.groups, by_desa)
        results.append(rules.import_csv(
            conn, text.encode("utf-8"), filename=f"sasaran-{year}-dinkes-demo.csv", actor=None,
            imported_by=IMPORTED_BY))
    return results
