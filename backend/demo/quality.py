"""Data-quality slips planted in the demo on purpose, with a manifest (docs/review.md "PWS
honesty"), so the review queue and the PWS honesty counts have something true to find.

The generator's own records are what really happened (tests/demo assert that nobody shrinks
and every NIK matches its birth date); the loader then plants, in each desa, the slips a
kader's or a midwife's typing makes: a height with its digits swapped (83 typed 38), a weight
with the decimal point slipped (11,0 typed 1,10), a NIK with the sex digits of the other sex
or another birth month, a blood pressure misread (120/115), a blood sugar without its kind,
a weight left out at the Posyandu, an ongoing pregnancy without HPHT and a death dated before
the last visit. (A visit dated before birth is not planted: the write path refuses it; the
rule finds it when a birth date is corrected after the visits.)

Each slip changes one existing document in place (no document is added, so the demo's
counts stay those of the generator) and adds one manifest entry naming the record, the field,
the value before and after, and the quality.json rules that must flag it
(tests/review/test_demo_quality.py). Each desa draws from its own RNG, seeded from (seed, desa
code), so a desa's slips are the same at every scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from backend.demo import duplicates

BALITA_DAYS = 60 * 30.4375      # under five (WHO growth standards: 0-59 months)
ELDER_YEARS = 60


@dataclass
class Desa:
    """One desa's documents, indexed the way the planters look for candidates."""
    code: str
    persons: dict[str, dict]
    visits: dict[str, list[dict]]              # person id -> encounters by date
    pregnancies: list[dict]
    used: set[str] = field(default_factory=set)    # persons already given a slip

    def age_days(self, person_id: str, day: str) -> int:
        born = dt.date.fromisoformat(self.persons[person_id]["birth_date"])
        return (dt.date.fromisoformat(day) - born).days

    def free(self, docs: list[dict], key: str = "person") -> list[dict]:
        return [doc for doc in docs if doc[key] not in self.used]


def _entry(kind: str, desa: Desa, doc: dict, person_id: str, name: str, before, after,
           rules: list[str], what: str) -> dict:
    desa.used.add(person_id)
    return {"kind": kind, "desa": desa.code, "person_id": person_id, "doc_id": doc["_id"],
            "doc_type": doc["type"], "field": name, "before": before, "after": after,
            "rules": rules, "what": what}


def _visits(desa: Desa, wanted: Callable[[dict], bool]) -> list[dict]:
    return [enc for person in sorted(desa.visits) if person not in desa.used
            for enc in desa.visits[person] if wanted(enc)]


def _m(enc: dict) -> dict:
    return enc.get("measurements") or {}


def height_digits_swapped(rng: random.Random, desa: Desa) -> dict | None:
    """83,2 cm typed 38,2: a two-digit height whose digits swapped to a smaller one that the
    schema still accepts (>= 20 cm), on a balita measured before, so the height shrinks; most
    such heights are also beyond the WHO flags (z_tidak_wajar), not all (86,7 typed 68,7 at
    18 months is -5 SD)."""
    def swappable(enc: dict) -> bool:
        height = _m(enc).get("height_cm")
        if height is None or not 20 <= height < 100 or enc["setting"] != "posyandu":
            return False
        tens, units = divmod(int(height), 10)
        earlier = [e for e in desa.visits[enc["person"]]
                   if e["date"] < enc["date"] and _m(e).get("height_cm")]
        return 2 <= units < tens and bool(earlier) and \
            desa.age_days(enc["person"], enc["date"]) < BALITA_DAYS
    found = _visits(desa, swappable)
    if not found:
        return None
    enc = rng.choice(found)
    before = _m(enc)["height_cm"]
    tens, units = divmod(int(before), 10)
    after = round(units * 10 + tens + (before - int(before)), 1)
    enc["measurements"]["height_cm"] = after
    return _entry("tinggi_tertukar", desa, enc, enc["person"], "measurements.height_cm",
                  before, after, ["tinggi_menyusut"],
                  f"Tinggi {before} cm tertulis {after} cm (angka tertukar)")


def weight_decimal_slipped(rng: random.Random, desa: Desa) -> dict | None:
    """11,0 kg typed 1,10: a balita's weight with the decimal point one place off."""
    found = _visits(desa, lambda enc: (_m(enc).get("weight_kg") or 0) >= 6
                    and desa.age_days(enc["person"], enc["date"]) < BALITA_DAYS)
    if not found:
        return None
    enc = rng.choice(found)
    before = _m(enc)["weight_kg"]
    after = round(before / 10, 2)
    enc["measurements"]["weight_kg"] = after
    return _entry("berat_koma_bergeser", desa, enc, enc["person"], "measurements.weight_kg",
                  before, after, ["z_tidak_wajar"],
                  f"Berat {before} kg tertulis {after} kg (koma bergeser)")


def weight_left_out(rng: random.Random, desa: Desa) -> dict | None:
    """A balita at the Posyandu with every value but the weight."""
    found = _visits(desa, lambda enc: enc["setting"] == "posyandu" and "posyandu_session" in enc
                    and _m(enc).get("weight_kg") is not None and len(_m(enc)) > 1
                    and desa.age_days(enc["person"], enc["date"]) < BALITA_DAYS)
    if not found:
        return None
    enc = rng.choice(found)
    before = enc["measurements"].pop("weight_kg")
    return _entry("berat_kosong", desa, enc, enc["person"], "measurements.weight_kg",
                  before, None, ["balita_tanpa_bb"],
                  f"Berat {before} kg di Posyandu tidak tercatat")


def pressure_misread(rng: random.Random, desa: Desa) -> dict | None:
    """120/80 written 120/115: a diastolic misread so close to the systolic that the pulse
    pressure is impossible for someone who walked in."""
    found = _visits(desa, lambda enc: 100 <= (_m(enc).get("sbp") or 0) <= 180)
    if not found:
        return None
    enc = rng.choice(found)
    before = f"{enc['measurements']['sbp']}/{enc['measurements']['dbp']}"
    enc["measurements"]["dbp"] = enc["measurements"]["sbp"] - 5
    after = f"{enc['measurements']['sbp']}/{enc['measurements']['dbp']}"
    return _entry("tensi_salah_baca", desa, enc, enc["person"], "measurements.dbp", before,
                  after, ["tekanan_nadi_janggal"], f"Tekanan darah {before} tertulis {after}")


def glucose_kind_left_out(rng: random.Random, desa: Desa) -> dict | None:
    found = _visits(desa, lambda enc: bool(_m(enc).get("glucose_type")))
    if not found:
        return None
    enc = rng.choice(found)
    before = enc["measurements"].pop("glucose_type")
    return _entry("gula_tanpa_jenis", desa, enc, enc["person"], "measurements.glucose_type",
                  before, None, ["glukosa_tanpa_jenis"],
                  f"Gula darah {enc['measurements']['glucose_mgdl']} mg/dL tanpa jenis "
                  f"(seharusnya {before})")


def _nik_holder(rng: random.Random, desa: Desa) -> dict | None:
    """A person not yet planted on whose NIK a slip can show: a NIK, and a birth date that is
    not estimated (the rule compares an estimated one by year only)."""
    people = [p for pid, p in sorted(desa.persons.items())
              if pid not in desa.used and p.get("nik") and not p.get("birth_date_estimated")]
    return rng.choice(people) if people else None


def nik_other_sex(rng: random.Random, desa: Desa) -> dict | None:
    """A woman's NIK typed without the +40 on her birth day (or a man's with it)."""
    person = _nik_holder(rng, desa)
    if person is None:
        return None
    before = person["nik"]
    day = int(before[6:8])
    day = day - 40 if day > 40 else day + 40
    person["nik"] = f"{before[:6]}{day:02d}{before[8:]}"
    return _entry("nik_jenis_kelamin", desa, person, person["_id"], "nik", before,
                  person["nik"], ["nik_jenis_kelamin"],
                  "NIK dengan kode tanggal jenis kelamin lain")


def nik_other_month(rng: random.Random, desa: Desa) -> dict | None:
    """A NIK whose birth month is one off the recorded birth date."""
    person = _nik_holder(rng, desa)
    if person is None:
        return None
    before = person["nik"]
    month = int(before[8:10]) % 12 + 1
    person["nik"] = f"{before[:8]}{month:02d}{before[10:]}"
    return _entry("nik_tanggal_lahir", desa, person, person["_id"], "nik", before,
                  person["nik"], ["nik_tanggal_lahir"], "NIK dengan bulan lahir lain")


def pregnancy_without_hpht(rng: random.Random, desa: Desa) -> dict | None:
    """An ongoing pregnancy registered without HPHT (and so without HPL)."""
    found = [p for p in desa.pregnancies if p["status"] == "ongoing"
             and p["person"] not in desa.used and p.get("hpht")]
    if not found:
        return None
    pregnancy = rng.choice(found)
    before = pregnancy.pop("hpht")
    pregnancy.pop("hpl", None)
    return _entry("hamil_tanpa_hpht", desa, pregnancy, pregnancy["person"], "hpht", before,
                  None, ["hamil_tanpa_hpht"], f"Kehamilan tanpa HPHT (seharusnya {before})")


def death_before_last_visit(rng: random.Random, desa: Desa) -> dict | None:
    """An elder's death dated between their last two visits."""
    found = []
    for pid in sorted(desa.visits):
        visits = desa.visits[pid]
        dates = sorted({enc["date"] for enc in visits})
        if pid in desa.used or len(dates) < 2 or \
                desa.age_days(pid, dates[-1]) < ELDER_YEARS * 365.25:
            continue
        last, previous = dt.date.fromisoformat(dates[-1]), dt.date.fromisoformat(dates[-2])
        if (last - previous).days >= 2:
            found.append((pid, previous + (last - previous) // 2, visits[-1]))
    if not found:
        return None
    pid, died, last_visit = rng.choice(found)
    desa.persons[pid]["deceased_date"] = died.isoformat()
    return _entry("setelah_meninggal", desa, last_visit, pid, "date", None, died.isoformat(),
                  ["setelah_meninggal"],
                  f"Meninggal {died.isoformat()} tercatat sebelum kunjungan {last_visit['date']}")


PLANTERS = (height_digits_swapped, weight_decimal_slipped, weight_left_out, pressure_misread,
            glucose_kind_left_out, nik_other_sex, nik_other_month, pregnancy_without_hpht,
            death_before_last_visit)


def _by_desa(docs: list[dict]) -> list[Desa]:
    persons: dict[str, dict[str, dict]] = defaultdict(dict)
    visits: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    pregnancies: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:   # a record missing what a slip needs gets none (the store judges it)
        if doc["type"] == "person" and doc.get("birth_date"):
            persons[doc["desa"]][doc["_id"]] = doc
        elif doc["type"] in ("encounter", "pregnancy") and doc.get("person"):
            if doc["type"] == "pregnancy":
                pregnancies[doc["desa"]].append(doc)
            elif doc.get("date"):
                visits[doc["desa"]][doc["person"]].append(doc)
    for code, by_person in visits.items():   # visits of a person the desa does not hold
        for pid in [pid for pid in by_person if pid not in persons[code]]:
            del by_person[pid]
    for by_person in visits.values():
        for encounters in by_person.values():
            encounters.sort(key=lambda enc: (enc["date"], enc["_id"]))
    return [Desa(code, persons[code], visits[code], pregnancies[code])
            for code in sorted(persons)]


def _planted_persons(docs: list[dict]) -> set[str]:
    """Both persons of every duplicate and near miss planted by backend/demo/duplicates.py:
    a slip on one of them (another NIK, a changed birth date) would change what duplicate
    detection is measured against."""
    found = duplicates.manifest(docs)
    return {pid for original, planted, _ in (*found.duplicates, *found.near_misses)
            for pid in (original, planted)}


def plant(docs: list[dict], seed: int) -> list[dict]:
    """Plant one slip of each kind in every desa of `docs` (changed in place) where a
    candidate record exists, never on a planted duplicate; returns the manifest, one entry
    per slip."""
    manifest = []
    reserved = _planted_persons(docs)
    for desa in _by_desa(docs):
        desa.used |= reserved & set(desa.persons)
        rng = random.Random(f"{seed}:{desa.code}:mutu")
        for planter in PLANTERS:
            entry = planter(rng, desa)
            if entry:
                manifest.append(entry)
    return manifest
