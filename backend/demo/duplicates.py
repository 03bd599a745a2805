"""Known duplicate persons planted in each generated desa, and near misses that are not
duplicates, so that duplicate detection can be measured (tests/review/test_duplicates_demo.py,
docs/review.md "Duplicates").

Per desa: a child registered a second time by the Pustu midwife with a spelling slip (and a
visit recorded on that second record); an adult with a NIK registered again as a new
one-person household; a mother registered again in her own family without her NIK and with
her birth year off by one. The near misses: a twin (same family, mother and birth date, another
name) and a son who carries his father's name.

Planted documents have ids derived from the original's (`uuid5`), so `manifest(docs)` finds
them again from the documents alone, and they use an RNG of their own: the desa's other
documents are exactly what they were without them.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from dataclasses import dataclass

from backend.demo.common import add_months, stamp

NAMESPACE = uuid.UUID("6f1d7c3e-54a2-4a57-9d0e-7a1b3c0de2a1")
DUPLICATES = ("anak_dua_kali", "nik_dua_keluarga", "ibu_tahun_lahir")
NEAR_MISSES = ("kembar", "ayah_anak_senama")
# Spelling slips a second registration makes, tried in random order until one applies.
SLIPS = ((r"Muhammad", "Muhamad"), (r"Muhamad\b", "Muhammad"), (r"y\b", "i"), (r"i\b", "y"),
         (r"ah\b", "a"), (r"\bNur ", "Nur"), (r"u", "oe"), (r"ti\b", "tie"),
         (r"([aiueo])([kdtnrl])([aiueo])", r"\1\2\2\3"))
TWIN_NAMES = {"L": ("Hasan", "Husen", "Rizal", "Fajar", "Bayu"),
              "P": ("Nisa", "Salsa", "Aulia", "Zahra", "Putri")}


@dataclass(frozen=True)
class Manifest:
    duplicates: list[tuple[str, str, str]]    # (original, planted, kind): one person twice
    near_misses: list[tuple[str, str, str]]   # (person, planted, kind): two persons


def planted_id(kind: str, original_id: str, doc_type: str = "person") -> str:
    return f"{doc_type}:{uuid.uuid5(NAMESPACE, f'{kind}:{original_id}')}"


def manifest(docs: list[dict]) -> Manifest:
    """The planted pairs among `docs`, found from their derived ids."""
    ids = {doc["_id"] for doc in docs if doc["type"] == "person"}
    found: dict[str, list[tuple[str, str, str]]] = {"dup": [], "near": []}
    for person_id in sorted(ids):
        for kinds, bucket in ((DUPLICATES, "dup"), (NEAR_MISSES, "near")):
            for kind in kinds:
                if planted_id(kind, person_id) in ids:
                    found[bucket].append((person_id, planted_id(kind, person_id), kind))
    return Manifest(found["dup"], found["near"])


def plant(seed: int, desa: str, docs: list[dict], today: dt.date) -> list[dict]:
    """The planted documents of one desa (appended to its list by backend/demo/generate.py)."""
    rng = random.Random(f"{seed}:{desa}:duplicates")
    people = sorted((d for d in docs if d["type"] == "person"), key=lambda d: d["_id"])
    homes = {d["_id"]: d for d in docs if d["type"] == "household"}
    members: dict[str, list[dict]] = {}
    for person in people:
        members.setdefault(person["household"], []).append(person)
    visit = next(d for d in sorted(docs, key=lambda d: d["_id"])
                 if d["type"] == "encounter" and d["setting"] == "pustu")
    out: list[dict] = []
    plain = [p for p in people if len(members[p["household"]]) < 9]
    child = _pick(rng, plain, lambda p: p.get("mother") and _age(p, today) < 5)
    if child:
        out += _child_twice(rng, child, visit, today)
    adult = _pick(rng, plain, lambda p: p.get("nik") and 20 <= _age(p, today) < 60
                  and p["relation"] != "kepala")
    if adult:
        out += _new_household(rng, adult, homes[adult["household"]], today)
    mothers = {p.get("mother") for p in people}
    mother = _pick(rng, plain, lambda p: p["_id"] in mothers and p.get("nik")
                   and not p.get("birth_date_estimated"))
    if mother:
        out.append(_mother_again(rng, mother, today))
    twin_of = _pick(rng, plain, lambda p: p.get("mother") and _age(p, today) < 10
                    and p is not child)
    if twin_of:
        out.append(_twin(rng, twin_of, today))
    father = _pick(rng, plain, lambda p: p["relation"] == "kepala" and p["sex"] == "L"
                   and 45 <= _age(p, today) < 70)
    if father:
        out.append(_son(rng, father, today))
    return out


def _pick(rng: random.Random, people: list[dict], fits) -> dict | None:
    chosen = [p for p in people if fits(p)]
    return rng.choice(chosen) if chosen else None


def _age(person: dict, today: dt.date) -> int:
    return (today - dt.date.fromisoformat(person["birth_date"])).days // 365


def _registered_again(rng: random.Random, person: dict, today: dt.date, by: str) -> dict:
    """The head of a second registration of `person`, some weeks after the first."""
    first = dt.date.fromisoformat(person["created_at"][:10])
    day = min(today, first + dt.timedelta(days=rng.randint(14, 120)))
    return {"created_at": stamp(rng, day), "created_by": by}


def _copy(person: dict, kind: str, **changes) -> dict:
    doc = {key: value for key, value in person.items() if key not in ("nik", "jkn", "phone")}
    return {**doc, "_id": planted_id(kind, person["_id"]), **changes}


def misspell(rng: random.Random, name: str) -> str:
    """`name` as another registrar may write it: one slip from SLIPS (the first that applies)."""
    for pattern, replacement in rng.sample(SLIPS, len(SLIPS)):
        slipped = re.sub(pattern, replacement, name, count=1)
        if slipped != name:
            return slipped
    return name + "h"


def _child_twice(rng: random.Random, child: dict, visit: dict, today: dt.date) -> list[dict]:
    """The midwife registers at the Pustu a child the kader had registered at the Posyandu."""
    again = _copy(child, "anak_dua_kali", name=misspell(rng, child["name"]),
                  **_registered_again(rng, child, today, visit["created_by"]))
    day = dt.date.fromisoformat(again["created_at"][:10])
    seen = {key: visit[key] for key in ("schema", "desa", "provider", "place")}
    return [again, {**seen, "_id": planted_id("anak_dua_kali", child["_id"], "encounter"),
                    "type": "encounter", "created_at": again["created_at"],
                    "created_by": again["created_by"], "person": again["_id"],
                    "date": day.isoformat(), "setting": "pustu", "cluster": "2",
                    "notes": "Anak dibawa ibunya ke Pustu untuk ditimbang"}]


def _new_household(rng: random.Random, adult: dict, home: dict, today: dt.date) -> list[dict]:
    """An adult registered again, with the same NIK, as a one-person household."""
    again = _copy(adult, "nik_dua_keluarga", nik=adult["nik"], relation="kepala",
                  household=planted_id("nik_dua_keluarga", adult["_id"], "household"),
                  **_registered_again(rng, adult, today, home["created_by"]))
    again.pop("mother", None)
    household = {key: value for key, value in home.items()
                 if key not in ("no_kk", "phone", "pis_pk")}
    household.update(_id=again["household"], head_name=again["name"],
                     created_at=again["created_at"], created_by=again["created_by"])
    return [again, household]


def _mother_again(rng: random.Random, mother: dict, today: dt.date) -> dict:
    """A mother registered again in her own family, without NIK, her birth year off by one."""
    born = dt.date.fromisoformat(mother["birth_date"])
    slipped = add_months(born, 12 * rng.choice((-1, 1)))
    return _copy(mother, "ibu_tahun_lahir", birth_date=slipped.isoformat(),
                 relation="famili" if mother["relation"] == "kepala" else mother["relation"],
                 **_registered_again(rng, mother, today, mother["created_by"]))


def _twin(rng: random.Random, child: dict, today: dt.date) -> dict:
    """A twin: same family, mother and birth date, another first name."""
    first = child["name"].split(" ")[0]
    names = [n for n in TWIN_NAMES[child["sex"]] if n != first]
    name = f"{rng.choice(names)} {' '.join(child['name'].split(' ')[1:])}".strip()
    return _copy(child, "kembar", name=name,
                 **_registered_again(rng, child, today, child["created_by"]))


def _son(rng: random.Random, father: dict, today: dt.date) -> dict:
    """A grown son who carries his father's name, in his father's family."""
    born = dt.date.fromisoformat(father["birth_date"]) + dt.timedelta(
        days=rng.randint(24 * 365, 30 * 365))
    doc = _copy(father, "ayah_anak_senama", birth_date=min(born, today).isoformat(),
                relation="anak", **_registered_again(rng, father, today, father["created_by"]))
    for key in ("birth_date_estimated", "mother"):
        doc.pop(key, None)
    return doc
