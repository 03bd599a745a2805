"""Pure generation: every demo document for a seed, scale and reference day; no database.

Each desa has its own RNG, seeded from (seed, desa code): a desa's documents are the same at
every scale, and larger scales only add desa. Within a desa the histories run in a fixed order
because they share the RNG and some read what earlier ones established (HB0 given at the
neonatal visit, diagnoses made at screening).
"""

from __future__ import annotations

import datetime as dt
import random

from backend.demo import (
    adults,
    children,
    duplicates,
    maternal,
    morbidity,
    places,
    population,
    tasks,
    traits,
)
from backend.demo.common import add_months
from backend.demo.documents import household_doc, person_doc
from backend.demo.identity import Registry
from backend.demo.staff import DesaStaff
from backend.demo.village import Village

RECORD_MONTHS = 24
TYPE_ORDER = ("place", "household", "person", "pregnancy", "posyandu_session", "encounter",
              "task")


def generate_documents(scale: float = 1.0, seed: int = 1,
                       today: dt.date | None = None) -> list[dict]:
    """All demo documents, places first; deterministic for (scale, seed, today)."""
    today = today or dt.date.today()
    start = add_months(today, -RECORD_MONTHS)
    puskesmas = places.puskesmas_doc(random.Random(f"{seed}:{places.KECAMATAN_CODE}"), start)
    docs = [puskesmas]
    for index in range(places.desa_count(scale)):
        docs += _desa(seed, index, puskesmas["_id"], today, start)
    rank = {doc_type: i for i, doc_type in enumerate(TYPE_ORDER)}
    return sorted(docs, key=lambda doc: rank[doc["type"]])


def _desa(seed: int, index: int, puskesmas_id: str, today: dt.date,
          start: dt.date) -> list[dict]:
    rng = random.Random(f"{seed}:{places.desa_code(index)}")
    desa = places.layout(rng, index)
    village = Village(rng, today, start, desa, puskesmas_id, DesaStaff.of(desa.code))
    place_docs = places.desa_docs(rng, desa, puskesmas_id, start)
    population.build(village, Registry(places.KECAMATAN_CODE, index))
    for member in village.members():
        traits.assign(rng, member, today, start)
    for history in (maternal, children, adults, morbidity, tasks):
        history.histories(village)
    households = [household_doc(village, h) for h in village.households]
    persons = [person_doc(village, m) for m in village.members()]
    docs = place_docs + households + persons + list(village.sessions.values()) + village.docs
    return docs + duplicates.plant(seed, desa.code, docs, today)  # known duplicates to find
