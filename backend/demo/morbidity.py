"""Acute illness: sick visits with ICD-10 diagnoses (kasus baru) and a dengue cluster.

Visit rates and the case mix follow the shape of a rural Puskesmas's top-ten diseases (ISPA,
dyspepsia, myalgia, diarrhoea, headache, skin disease) with more respiratory infection in the
rainy season (November-April). Sick children are seen by cluster 2 (MTBS), adults by cluster
3, injuries and dental care by lintas klaster, dengue by cluster 4 (docs/domain.md §1).
"""

from __future__ import annotations

import datetime as dt

from backend.demo import growth
from backend.demo.common import chance, workday
from backend.demo.model import Member
from backend.demo.places import HOSPITAL
from backend.demo.village import Village

# Sick visits per person-year by age (upper bound exclusive).
_RATES = ((5, 0.9), (15, 0.35), (60, 0.3), (200, 0.7))
_CASES = {  # age group -> (ICD-10, label, weight)
    "anak": (("J06.9", "ISPA", 45), ("A09", "Diare", 20), ("R50.9", "Demam", 8),
             ("J00", "Nasofaringitis akut", 8), ("L30.9", "Dermatitis", 6), ("B86", "Skabies", 5),
             ("K02.1", "Karies gigi", 5), ("T14.0", "Luka lecet", 3)),
    "dewasa": (("J06.9", "ISPA", 25), ("K30", "Dispepsia", 15), ("M79.1", "Mialgia", 15),
               ("R51", "Sakit kepala", 8), ("A09", "Diare", 8), ("M54.5", "Nyeri punggung", 8),
               ("J00", "Nasofaringitis akut", 7), ("L30.9", "Dermatitis", 5),
               ("K02.1", "Karies gigi", 5), ("T14.0", "Luka lecet", 4)),
    "lansia": (("M79.1", "Mialgia", 20), ("M54.5", "Nyeri punggung", 15), ("J06.9", "ISPA", 15),
               ("K30", "Dispepsia", 12), ("R51", "Sakit kepala", 8), ("A09", "Diare", 6),
               ("L30.9", "Dermatitis", 5), ("K02.1", "Karies gigi", 4)),
}
_LINTAS = {"K02.1", "T14.0"}          # dental clinic and emergency room
_FEVERISH = {"J06.9", "R50.9", "A09", "J00"}
_RAINY = {11, 12, 1, 2, 3, 4}
DENGUE_CLUSTER_CHANCE = 0.35          # share of desa with a dengue cluster in two years


def histories(village: Village) -> None:
    days = (village.today - village.start).days
    for person in village.members():
        age = person.age(village.today)
        rate = next(r for below, r in _RATES if age < below)
        for _ in range(_poisson(village, rate * days / 365)):
            _sick_visit(village, person, _seasonal_day(village))
    if chance(village.rng, DENGUE_CLUSTER_CHANCE):
        _dengue_cluster(village)


def _poisson(village: Village, mean: float) -> int:
    count, total = 0, village.rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += village.rng.expovariate(1.0)
    return count


def _seasonal_day(village: Village) -> dt.date:
    """Rejection sampling: a rainy-season day is accepted twice as often."""
    while True:
        day = workday(village.rng, village.start, village.today)
        if day.month in _RAINY or chance(village.rng, 0.5):
            return day


def _group(age: int) -> str:
    return "anak" if age < 15 else "dewasa" if age < 60 else "lansia"


def _sick_visit(village: Village, person: Member, day: dt.date) -> None:
    rng = village.rng
    if day < person.registered:
        return
    age = person.age(day)
    codes, labels, weights = zip(*_CASES[_group(age)], strict=True)
    index = rng.choices(range(len(codes)), weights)[0]
    code = codes[index]
    setting = rng.choices(("puskesmas", "pustu", "fktp"), (65, 25, 10))[0]
    cluster = "lintas" if code in _LINTAS else "2" if age < 18 else "3"
    measured = {"temp_c": round(rng.gauss(38.3, 0.5) if code in _FEVERISH and chance(
        rng, 0.6) else rng.gauss(36.7, 0.3), 1)}
    if age < 5:
        health = person.health
        measured["weight_kg"] = growth.measure(rng, person.sex, person.birth, day, health,
                                               health.whz, head=False, keep=False)["weight_kg"]
    elif age < 18:
        measured["weight_kg"] = round(8 + 2.6 * age + rng.gauss(0, 3), 1)
    village.visit(person, day, setting, cluster, clinical=True, measurements=measured,
                  diagnoses=[{"icd10": code, "case": "baru", "text": labels[index]}])


def _dengue_cluster(village: Village) -> None:
    """A few cases in one dusun within three weeks of the rainy season, as DBD comes."""
    rng = village.rng
    seasons = [dt.date(year, 2, 1) for year in range(village.start.year, village.today.year + 1)
               if village.start <= dt.date(year, 2, 1) <= village.today - dt.timedelta(21)]
    if not seasons:
        return
    onset = rng.choice(seasons) + dt.timedelta(days=rng.randint(0, 40))
    posyandu = rng.choice(village.desa.posyandu)
    people = [m for m in village.members()
              if m.household.posyandu is posyandu and 5 <= m.age(onset) <= 40]
    for person in rng.sample(people, min(len(people), rng.randint(2, 5))):
        day = min(village.today, workday(rng, onset, onset + dt.timedelta(days=21)))
        severe = chance(rng, 0.4)
        code, text = ("A91", "Demam berdarah dengue") if severe else ("A90", "Demam dengue")
        referral = {"to": HOSPITAL, "reason": "DBD dengan tanda bahaya", "urgent": True}
        doc = village.visit(person, day, "puskesmas", "4", measurements={
            "temp_c": round(rng.gauss(39.0, 0.4), 1)}, diagnoses=[
            {"icd10": code, "case": "baru", "text": text}],
            referral=referral if severe else None)
        village.find(person, day, "Penyelidikan epidemiologi DBD: periksa jentik 20 rumah "
                     "sekitar kasus", doc["_id"], "4", "dbd")
