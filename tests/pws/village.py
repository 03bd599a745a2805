"""A small hand-built village for the PWS computation tests (tests/pws/test_compute*.py).

Facts are inserted straight into the read model (persons, pregnancies, pws_events,
growth_points, sasaran), so the numbers can be worked out by hand without the clinical
evaluator. The month under test is June 2026 (MONTH); every expected number is derived in
the comments of EXPECTED below.

Desa A (Cikalong) has official sasaran for 2026: penduduk 1000, bumil 20, balita 10.
Desa B (Mekarjaya) has none: every group denominator there is the registered persons.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend.projections.tables import growth_points, persons, pregnancies, pws_events
from backend.pws.months import Month
from backend.pws.tables import sasaran
from tests.factories import DESA_A, DESA_B

MONTH = Month(2026, 6)
D = dt.date


def _person(pid, desa, sex, birth, deceased=None):
    return {"id": pid, "desa": desa, "name": pid, "name_key": pid, "sex": sex,
            "birth_date": birth, "birth_date_estimated": False, "deceased_date": deceased}


PERSONS = [
    _person("a_ibu1", DESA_A, "P", D(1996, 5, 10)),
    _person("a_ibu2", DESA_A, "P", D(1999, 1, 1)),
    _person("a_bayi1", DESA_A, "L", D(2026, 3, 5)),
    _person("a_balita1", DESA_A, "L", D(2024, 1, 15)),
    _person("a_balita2", DESA_A, "P", D(2025, 9, 20)),
    _person("a_lansia", DESA_A, "L", D(1950, 3, 3)),
    _person("a_dewasa", DESA_A, "P", D(1980, 7, 1)),
    _person("a_mati", DESA_A, "L", D(1940, 1, 1), deceased=D(2026, 2, 1)),
    _person("b_ibu", DESA_B, "P", D(2000, 2, 2)),
    _person("b_balita", DESA_B, "L", D(2021, 7, 1)),     # 59 months on 30 June 2026
    _person("b_tua", DESA_B, "P", D(2021, 6, 30)),       # exactly 60 months: not a balita
    _person("b_lansia", DESA_B, "P", D(1966, 6, 30)),    # 60 years on 30 June: lansia
    _person("b_remaja", DESA_B, "L", D(2011, 7, 1)),     # 14 years: not 15+
    _person("b_bayi_lalu", DESA_B, "P", D(2025, 3, 1)),  # 10 months on 1 January 2026
]


def _pregnancy(pid, person, desa, hpht, status, delivery=None):
    return {"id": pid, "desa": desa, "person_id": person, "hpht": hpht,
            "hpl": hpht + dt.timedelta(days=280), "status": status, "delivery_date": delivery}


PREGNANCIES = [
    _pregnancy("p1", "a_ibu1", DESA_A, D(2025, 12, 1), "ongoing"),
    _pregnancy("p2", "a_ibu2", DESA_A, D(2025, 6, 1), "delivered", D(2026, 3, 5)),
    _pregnancy("p3", "b_ibu", DESA_B, D(2026, 4, 1), "ongoing"),
    # over before 2026: not a pregnant woman of 2026
    _pregnancy("p0", "a_dewasa", DESA_A, D(2010, 1, 1), "delivered", D(2010, 10, 1)),
]

EVENTS = [  # (person, desa, event, date)
    ("a_ibu1", DESA_A, "anc_k1", D(2026, 2, 10)),
    ("a_ibu1", DESA_A, "anc_k1_murni", D(2026, 2, 10)),
    ("a_ibu1", DESA_A, "anc_k4", D(2026, 6, 5)),
    ("a_ibu2", DESA_A, "anc_k1", D(2025, 8, 1)),            # last year: not in 2026
    ("a_ibu2", DESA_A, "persalinan_fasyankes", D(2026, 3, 5)),
    ("a_ibu2", DESA_A, "persalinan", D(2026, 3, 5)),
    ("a_ibu2", DESA_A, "kf_lengkap", D(2026, 4, 20)),
    ("a_bayi1", DESA_A, "kn1", D(2026, 3, 6)),
    ("a_bayi1", DESA_A, "kn_lengkap", D(2026, 4, 1)),
    ("a_balita1", DESA_A, "vitamin_a", D(2026, 2, 15)),
    ("a_balita2", DESA_A, "idl", D(2026, 6, 20)),
    ("a_lansia", DESA_A, "skrining_lansia", D(2026, 6, 1)),
    ("a_lansia", DESA_A, "ht_kasus", D(2024, 5, 5)),
    ("a_lansia", DESA_A, "ht_terlayani", D(2026, 1, 10)),
    ("a_lansia", DESA_A, "ht_terlayani", D(2026, 6, 1)),   # twice: one person
    ("a_mati", DESA_A, "ht_kasus", D(2023, 3, 3)),
    ("a_dewasa", DESA_A, "skrining_usia_produktif", D(2026, 6, 30)),
    ("a_dewasa", DESA_A, "skrining_jiwa", D(2026, 6, 30)),
    ("a_dewasa", DESA_A, "terduga_tb", D(2026, 5, 2)),
    ("a_dewasa", DESA_A, "tb_diperiksa", D(2026, 6, 3)),
    ("b_ibu", DESA_B, "anc_k1", D(2026, 6, 15)),
    ("b_ibu", DESA_B, "anc_k1_murni", D(2026, 6, 15)),
    ("b_balita", DESA_B, "vitamin_a", D(2026, 8, 3)),       # after June: not counted
    ("b_bayi_lalu", DESA_B, "idl", D(2026, 1, 20)),
    ("b_bayi_lalu", DESA_B, "dm_kasus", D(2026, 7, 1)),     # after June: not yet a case
]


def _growth(person, desa, day, sex, weight=None, height=None, bbu=None, tbu=None, bbtb=None,
            trend=None):
    return {"encounter_id": f"enc-{person}-{day}", "person_id": person, "desa": desa,
            "date": day, "setting": "posyandu", "age_days": 100, "sex": sex,
            "weight_kg": weight, "height_cm": height, "bbu": bbu, "tbu": tbu, "bbtb": bbtb,
            "trend": trend}


GROWTH = [
    _growth("a_balita1", DESA_A, D(2026, 5, 10), "L", weight=11.0, bbu="normal"),
    _growth("a_balita1", DESA_A, D(2026, 6, 10), "L", weight=11.4, height=85.0, bbu="normal",
            tbu="pendek", bbtb="gizi_baik", trend="naik"),
    _growth("a_balita2", DESA_A, D(2026, 5, 12), "P", weight=8.0, bbu="normal"),
    _growth("a_balita2", DESA_A, D(2026, 6, 12), "P", weight=8.0, bbu="kurang",
            trend="tidak_naik"),
    _growth("b_balita", DESA_B, D(2026, 6, 5), "L", weight=12.0, height=95.0,
            bbu="sangat_kurang", tbu="sangat_pendek", bbtb="gizi_buruk"),
]

SASARAN = [(DESA_A, 2026, "penduduk", 1000), (DESA_A, 2026, "bumil", 20),
           (DESA_A, 2026, "balita", 10)]


def build(conn: sa.Connection) -> None:
    conn.execute(persons.insert(), PERSONS)
    conn.execute(pregnancies.insert(), PREGNANCIES)
    conn.execute(pws_events.insert(), [
        {"person_id": p, "desa": d, "event": e, "date": day, "setting": "posyandu"}
        for p, d, e, day in EVENTS])
    conn.execute(growth_points.insert(), GROWTH)
    conn.execute(sasaran.insert(), [
        {"desa": d, "year": y, "target_group": g, "value": v, "imported_at": "2026-01-05",
         "imported_by": "test", "source_file": "sasaran.csv"} for d, y, g, v in SASARAN])


# EXPECTED[(indicator, desa)] = (num_month, num_cum, denominator, source) for June 2026.
A, B = DESA_A, DESA_B
EXPECTED = {
    # bumil: A resmi 20. B registered pregnant in 2026: b_ibu (p3 begins April) = 1.
    # K1 A: a_ibu1 in Feb (a_ibu2's K1 was 2025) → month 0, cum 1. B: b_ibu in June → 1, 1.
    ("k1", A): (0, 1, 20, "resmi"), ("k1", B): (1, 1, 1, "terdaftar"),
    ("k1_murni", A): (0, 1, 20, "resmi"), ("k1_murni", B): (1, 1, 1, "terdaftar"),
    ("k4", A): (1, 1, 20, "resmi"), ("k4", B): (0, 0, 1, "terdaftar"),
    ("k6", A): (0, 0, 20, "resmi"), ("k6", B): (0, 0, 1, "terdaftar"),
    # bulin: A has no bulin sasaran and lahir_hidup is itself a convention (not official),
    # so registered: a_ibu2 delivered 5 March = 1. B: nobody delivered = 0.
    ("pf", A): (0, 1, 1, "terdaftar"), ("pf", B): (0, 0, 0, "terdaftar"),
    ("kf_lengkap", A): (0, 1, 1, "terdaftar"), ("kf_lengkap", B): (0, 0, 0, "terdaftar"),
    # lahir_hidup A: konvensi penduduk 1000 × CBR 0.0165 = 16.5 → 17 (half up).
    # B: registered born in 2026 = 0 (b_bayi_lalu was born 2025).
    ("kn1", A): (0, 1, 17, "konvensi"), ("kn1", B): (0, 0, 0, "terdaftar"),
    ("kn_lengkap", A): (0, 1, 17, "konvensi"), ("kn_lengkap", B): (0, 0, 0, "terdaftar"),
    # bayi (surviving infants, under 12 months some day of Jan..June, alive): A a_bayi1
    # (March 2026), a_balita2 (Sept 2025) = 2; B b_bayi_lalu (10 months on 1 Jan) = 1.
    ("idl", A): (1, 1, 2, "terdaftar"), ("idl", B): (0, 1, 1, "terdaftar"),
    # baduta 12-23 months on 30 June: born 2024-07-01..2025-06-30 → A nobody (a_balita1 is
    # 29 months), B b_bayi_lalu (15 months) = 1.
    ("baduta", A): (0, 0, 0, "terdaftar"), ("baduta", B): (0, 0, 1, "terdaftar"),
    # D/S: A weighed in June a_balita1, a_balita2 = 2 of S resmi 10. B b_balita 1 of
    # registered balita: b_balita (59 months) = 1; b_tua is 60 months; b_bayi_lalu 15 months
    # → 2.
    ("ds", A): (2, 2, 10, "resmi"), ("ds", B): (1, 1, 2, "terdaftar"),
    # N/D: A trend naik a_balita1 = 1 of trend naik/tidak_naik 2. B: none, D' = 0.
    ("nd", A): (1, 1, 2, "terukur"), ("nd", B): (0, 0, 0, "terukur"),
    # BB/U sangat kurang of weighed: A 0 of 2, B 1 of 1.
    ("bgm", A): (0, 0, 2, "terukur"), ("bgm", B): (1, 1, 1, "terukur"),
    # stunting of measured height: A a_balita1 pendek 1 of 1; B 1 of 1.
    ("stunting", A): (1, 1, 1, "terukur"), ("stunting", B): (1, 1, 1, "terukur"),
    # wasting of those with BB/TB: A 0 of 1; B gizi_buruk 1 of 1.
    ("wasting", A): (0, 0, 1, "terukur"), ("wasting", B): (1, 1, 1, "terukur"),
    # underweight (BB/U kurang or sangat kurang) of weighed: A a_balita2 1 of 2; B 1 of 1.
    ("underweight", A): (1, 1, 2, "terukur"), ("underweight", B): (1, 1, 1, "terukur"),
    ("overweight", A): (0, 0, 1, "terukur"), ("overweight", B): (0, 0, 1, "terukur"),
    # vitamin A, semester Jan..June: A a_balita1 in February → month 0, cum 1; balita_6_59
    # registered A: a_balita1 (29 m), a_balita2 (9 m) = 2 (a_bayi1 is 3 months).
    # B: the August capsule is outside; balita_6_59 B: b_balita, b_bayi_lalu = 2.
    ("vitamin_a", A): (0, 1, 2, "terdaftar"), ("vitamin_a", B): (0, 0, 2, "terdaftar"),
    # usia produktif 15-59 registered: A a_ibu1 (30), a_ibu2 (27), a_dewasa (45) = 3.
    # B b_ibu (26) = 1 (b_lansia turned 60 on 30 June; b_remaja is 14).
    ("usia_produktif", A): (1, 1, 3, "terdaftar"), ("usia_produktif", B): (0, 0, 1, "terdaftar"),
    # lansia: A a_lansia (a_mati died in February, before June) = 1; B b_lansia = 1.
    ("lansia", A): (1, 1, 1, "terdaftar"), ("lansia", B): (0, 0, 1, "terdaftar"),
    # hipertensi: known cases (ht_kasus by 30 June) not deceased before 1 January: A
    # a_lansia, a_mati (died 1 February 2026) = 2. Served: a_lansia in June (and January).
    ("hipertensi", A): (1, 1, 2, "terdaftar"), ("hipertensi", B): (0, 0, 0, "terdaftar"),
    # dm: b_bayi_lalu's dm_kasus (a made-up fact) is dated July: not a case yet.
    ("dm", A): (0, 0, 0, "terdaftar"), ("dm", B): (0, 0, 0, "terdaftar"),
    # 15+: A a_ibu1, a_ibu2, a_lansia, a_dewasa = 4; B b_ibu, b_lansia = 2.
    ("jiwa", A): (1, 1, 4, "terdaftar"), ("jiwa", B): (0, 0, 2, "terdaftar"),
    # TB: examined in June 1 of terduga Jan..June 1.
    ("tb", A): (1, 1, 1, "terukur"), ("tb", B): (0, 0, 0, "terukur"),
}
