"""A small village for the browser tests: the factories' two desa and staff, two Posyandu,
and 48 people in desa A across every life stage, with last month's weighings and a task."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import sqlalchemy as sa

from backend.writes import write_docs
from tests import factories as f

GIVEN = {"P": ["Siti", "Dewi", "Rina", "Ayu", "Putri", "Nur", "Wati", "Yanti", "Euis", "Neneng",
               "Iis", "Lilis"],
         "L": ["Budi", "Agus", "Joko", "Dedi", "Eko", "Hendra", "Asep", "Ujang", "Cecep", "Dadang",
               "Rudi", "Yusuf"]}
FAMILY = ["Santoso", "Lestari", "Hidayat", "Rahmawati", "Saputra", "Kurniawan", "Suryani",
          "Permana", "Nugraha", "Wijaya", "Setiawan", "Maulana"]
# (relation, sex, age in days) of each household's members: parents, a baby or toddler, a
# school child, sometimes a grandparent.
HOUSEHOLD_SHAPE = [("kepala", "L", 35 * 365), ("istri", "P", 30 * 365), ("anak", None, 0),
                   ("anak", None, 8 * 365)]


def _birth(today: dt.date, days: int) -> str:
    return (today - dt.timedelta(days=days)).isoformat()


def _typical(birth: str, on: str) -> dict:
    """Near the WHO 2006 median weight and length for the age (boys' medians: 3.3 kg / 50 cm
    at birth, 7.9 / 67.6 at 6 months, 9.6 / 75.7 at 12, 12.2 / 87.8 at 24, 18.3 / 110 at 60),
    so last month's weighings find nothing and the server derives no follow-up from them."""
    months = (dt.date.fromisoformat(on) - dt.date.fromisoformat(birth)).days / 30.4375
    if months <= 6:
        weight, height = 3.3 + 0.77 * months, 50 + 2.93 * months
    elif months <= 12:
        weight, height = 7.9 + 0.28 * (months - 6), 67.6 + 1.35 * (months - 6)
    elif months <= 24:
        weight, height = 9.6 + 0.22 * (months - 12), 75.7 + (months - 12)
    else:
        weight, height = 12.2 + 0.17 * (months - 24), 87.8 + 0.62 * (months - 24)
    return {"weight_kg": round(weight, 1), "height_cm": round(height, 1)}


def build(conn: sa.Connection, seed: int = 7) -> dict:
    """Writes the village; returns handles the tests need (places, a few named persons)."""
    rng = random.Random(seed)
    world = f.build_world(conn)
    desa = f.DESA_A
    today = dt.date.today()
    posyandu = [f.place("posyandu", name, desa, parent=world.desa[desa]["_id"], schedule_day=10)
                for name in ("Posyandu Melati", "Posyandu Mawar")]
    docs: list[dict] = [*posyandu]
    persons: list[dict] = []
    for index in range(12):
        family = FAMILY[index]
        kk = f"3204190{index:03d}{rng.randrange(100000, 999999)}"
        household = f.household(desa, head_name=f"{GIVEN['L'][index]} {family}", no_kk=kk,
                                rt=f"{1 + index % 4:03d}", rw="002",
                                posyandu=posyandu[index % 2]["_id"])
        docs.append(household)
        for relation, shape_sex, days in HOUSEHOLD_SHAPE:
            sex = shape_sex or rng.choice("LP")
            age_days = days or rng.randrange(60, 58 * 30)  # a baby or toddler
            given = GIVEN[sex][(index * 3 + len(persons)) % 12]
            person = f.person(desa, name=f"{given} {family}", sex=sex,
                              birth_date=_birth(today, age_days + rng.randrange(0, 300)),
                              household=household["_id"], relation=relation)
            persons.append(person)
            docs.append(person)
    # Lansia living alone, so every Posyandu group is present.
    for index in range(3):
        name = f"Mbah {GIVEN['P'][index + 6]} {FAMILY[index]}"
        household = f.household(desa, head_name=name, rt="004", rw="003")
        elder = f.person(desa, name=name, sex="P",
                         birth_date=_birth(today, (66 + index) * 365), household=household["_id"],
                         relation="kepala")
        docs += [household, elder]
        persons.append(elder)
    last_month = (today.replace(day=1) - dt.timedelta(days=3)).isoformat()
    children = [p for p in persons if p["birth_date"] > _birth(today, 5 * 365)]
    for child in children:
        docs.append(f.encounter(child, date=last_month, setting="posyandu",
                                measurements=_typical(child["birth_date"], last_month)))
    mother = next(p for p in persons if p["relation"] == "istri")
    docs.append({"_id": f"pregnancy:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                 "type": "pregnancy", "schema": 1, "desa": desa, "created_at": f.TS,
                 "created_by": "bidan", "person": mother["_id"], "status": "ongoing",
                 "hpht": (today - dt.timedelta(days=100)).isoformat(), "gravida": 2, "para": 1})
    task = f.task(children[0], reason="Kunjungan rumah: imunisasi DPT-HB-Hib terlambat",
                  due_date=(today - dt.timedelta(days=2)).isoformat(), source="Klaster 2")
    docs.append(task)
    results = write_docs(conn, docs, None)
    assert all(r.get("ok") for r in results), [r for r in results if not r.get("ok")]
    return {"posyandu": posyandu, "persons": persons, "children": children, "mother": mother,
            "task": task}
