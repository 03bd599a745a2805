"""Kohort Ibu and Kohort Bayi / Anak Balita on a hand-built village (desa A, year 2026).

The growth points and PWS events are projections of the PWS facts (backend/pws/facts.py); here
they are written by hand (after the documents) so each kohort cell is known: a baby with a low
birth weight, a KN1, an early (invalid) DPT dose and a BGM weighing; a girl whose first birthday
(15 Aug 2026) splits her weighings between the two kohorts; a baby who died; a child now living
in desa B who was seen in desa A (the separate page); a child too old for the balita kohort.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.projections.tables import growth_points, pws_events
from backend.pws import compute
from backend.pws import kohort as k
from backend.pws.months import Month
from backend.writes import write_docs
from tests import factories as f

D = dt.date
YEAR = 2026


def _point(person, day, weight, trend, age_days, **extra):
    return {"encounter_id": "encounter:x", "person_id": person["_id"], "desa": person["desa"],
            "date": day, "setting": "posyandu", "age_days": age_days, "sex": person["sex"],
            "weight_kg": weight, "trend": trend, "two_t": False, "bbu": None, **extra}


def _event(person, event, day, ref=None):
    return {"person_id": person["_id"], "desa": person["desa"], "event": event, "date": day,
            "setting": "pustu", "ref_id": ref}


@pytest.fixture
def village(world):
    home = f.household(desa=f.DESA_A, head_name="Ahmad", rt="003", rw="001", dusun="Kaler")
    ani = f.person(name="Ani Lestari", birth_date="1996-02-10", household=home["_id"],
                   nik="3204195002960001")
    preg = f.pregnancy(ani, hpht="2025-09-01", gravida=2, para=1, abortus=0,
                       status="delivered",
                       delivery={"date": "2026-06-08", "place_type": "puskesmas",
                                 "attendant": "bidan", "live_births": 1})
    anc = [f.encounter(ani, date=day, setting="pustu", pregnancy=preg["_id"],
                       services=[{"code": "anc"}])
           for day in ("2025-10-20", "2025-11-20", "2026-01-10", "2026-04-01", "2026-05-01")]
    # two adult Td doses in this pregnancy (T2), and one after the delivery that must not count
    anc[0]["immunizations"] = [{"vaccine": "Td", "dose": 1}]
    anc[1]["immunizations"] = [{"vaccine": "Td", "dose": 2}]
    kf_td = f.encounter(ani, date="2026-07-01", setting="pustu",
                        immunizations=[{"vaccine": "Td", "dose": 3}])
    kf = [f.encounter(ani, date=day, setting="pustu", services=[{"code": "kf"}])
          for day in ("2026-06-09", "2026-06-12")]
    budi = f.person(name="Budi", sex="L", birth_date="2026-06-08", mother=ani["_id"],
                    household=home["_id"])
    budi_visits = [
        f.encounter(budi, date="2026-06-09", setting="pustu", services=[{"code": "kn"}],
                    immunizations=[{"vaccine": "HB0", "dose": 1, "date": "2026-06-08"}]),
        # DPT-HB-Hib 1 at 23 days: before its minimum age (6 weeks), so not valid
        f.encounter(budi, date="2026-07-01", setting="posyandu",
                    immunizations=[{"vaccine": "BCG", "dose": 1},
                                   {"vaccine": "DPT-HB-Hib", "dose": 1}]),
    ]
    cici = f.person(name="Cici", sex="P", birth_date="2025-08-15", household=home["_id"])
    dodi = f.person(name="Dodi", sex="L", birth_date="2026-02-01",
                    deceased_date="2026-05-03", household=home["_id"])
    old = f.person(name="Eko Tua", sex="L", birth_date="2020-01-01", household=home["_id"])
    with write_transaction() as conn:
        results = write_docs(conn, [home, ani, preg, *anc, *kf, kf_td, budi, *budi_visits,
                                    cici, dodi, old], None)
        assert all(r.get("ok") for r in results), results
        # now living in desa B, weighed at a desa-A visit: data as it lies in the store
        home_b = f.household(desa=f.DESA_B, head_name="Joko")
        eka = f.person(desa=f.DESA_B, name="Eka Pendatang", sex="P", birth_date="2026-03-01",
                       household=home_b["_id"])
        seen = {**f.encounter(eka, date="2026-04-02", setting="posyandu"), "desa": f.DESA_A}
        f.write_unchecked(conn, [home_b, eka, seen])
        people = [ani, budi, cici, dodi, old, eka]
        ids = [p["_id"] for p in people]
        conn.execute(sa.delete(growth_points).where(growth_points.c.person_id.in_(ids)))
        conn.execute(sa.delete(pws_events).where(pws_events.c.person_id.in_(ids)))
        conn.execute(sa.insert(growth_points), [
            _point(budi, D(2026, 6, 9), 2.4, "baru", 1),
            _point(budi, D(2026, 7, 10), 3.4, "naik", 32),
            _point(budi, D(2026, 8, 10), 3.3, "tidak_naik", 63, bbu="sangat_kurang"),
            _point(cici, D(2026, 7, 15), 9.0, "naik", 334),
            _point(cici, D(2026, 9, 15), 9.2, "tidak_naik", 396),
            _point(dodi, D(2026, 3, 1), 4.1, "baru", 28),
            _point(eka, D(2026, 4, 2), 4.0, "baru", 32),
        ])
        conn.execute(sa.insert(pws_events), [
            _event(ani, "anc_k1", D(2025, 10, 20), preg["_id"]),
            _event(ani, "anc_k1_murni", D(2025, 10, 20), preg["_id"]),
            _event(ani, "anc_k4", D(2026, 4, 1), preg["_id"]),
            _event(cici, "vitamin_a", D(2026, 2, 20)),
            _event(cici, "vitamin_a", D(2026, 8, 20)),
        ])
    return {"ani": ani, "preg": preg, "budi": budi, "cici": cici, "dodi": dodi, "eka": eka}


def _section(kohort, key):
    return next(s for s in kohort.sections if s.key == key)


def _row(section, name):
    [row] = [r for r in section.rows if r["name"] == name]
    return row


def test_kohort_bayi_rows(village):
    with read_transaction() as conn:
        kohort = k.kohort_balita(conn, f.DESA_A, YEAR, (f.DESA_A, f.DESA_B))
    bayi = _section(kohort, "bayi")
    assert [r["name"] for r in bayi.rows] == ["Cici", "Dodi", "Budi"]      # by birth date
    assert [r["no"] for r in bayi.rows] == [1, 2, 3]
    budi = _row(bayi, "Budi")
    assert budi["sex"] == "L" and budi["mother"] == "Ani Lestari"
    assert budi["address"] == "RT 003/RW 001, Kaler"
    assert budi["birth_weight"] == "2400 BBLR"
    assert budi["kn:KN1"] == D(2026, 6, 9) and "kn:KN2" not in budi
    assert budi["m:2026-06"] == "2,4 B"
    assert budi["m:2026-07"] == "3,4 N"
    assert budi["m:2026-08"] == "3,3 T BGM"
    assert budi["imm:HB0-1"] == D(2026, 6, 8) and budi["imm:BCG-1"] == D(2026, 7, 1)
    assert "imm:DPT-HB-Hib-1" not in budi          # too early: the evaluator does not count it
    assert budi["first_birthday"] is None          # 2027
    dodi = _row(bayi, "Dodi")
    assert dodi["death_date"] == D(2026, 5, 3) and dodi["m:2026-03"] == "4,1 B"


def test_a_child_crossing_the_first_birthday_is_split_between_the_kohorts(village):
    with read_transaction() as conn:
        kohort = k.kohort_balita(conn, f.DESA_A, YEAR)
    bayi, balita = _row(_section(kohort, "bayi"), "Cici"), _row(_section(kohort, "balita"),
                                                                 "Cici")
    assert bayi["first_birthday"] == D(2026, 8, 15)
    assert bayi["m:2026-07"] == "9,0 N" and "m:2026-09" not in bayi
    assert balita["m:2026-09"] == "9,2 T" and "m:2026-07" not in balita
    assert bayi["vitamin_a"] == "20/02" and balita["vitamin_a"] == "20/08"
    assert [r["name"] for r in _section(kohort, "balita").rows] == ["Cici"]   # not Eko (6 y)


def test_a_child_from_outside_goes_on_its_own_page_within_scope(village):
    with read_transaction() as conn:
        wide = k.kohort_balita(conn, f.DESA_A, YEAR, (f.DESA_A, f.DESA_B))
        narrow = k.kohort_balita(conn, f.DESA_A, YEAR, (f.DESA_A,))
    assert [r["name"] for r in _section(wide, "bayi_luar").rows] == ["Eka Pendatang"]
    assert _row(_section(wide, "bayi_luar"), "Eka Pendatang")["m:2026-04"] == "4,0 B"
    assert "Eka Pendatang" not in [r["name"] for r in _section(wide, "bayi").rows]
    assert _section(narrow, "bayi_luar").rows == []    # desa B is not the caller's to see


def test_kohort_ibu_row(village):
    with read_transaction() as conn:
        kohort = k.kohort_ibu(conn, f.DESA_A, YEAR)
    [row] = _section(kohort, "ibu").rows
    assert row["name"] == "Ani Lestari" and row["age"] == 29 and row["gpa"] == "2/1/0"
    assert row["t_status"] == "T2"
    assert row["hpht"] == D(2025, 9, 1) and row["hpl"] == D(2026, 6, 8)   # Naegele
    # the evaluator's slots: K1 first contact, K2 T1, K3 T2, K4/K5 T3
    assert (row["anc:K1"], row["anc:K2"], row["anc:K3"], row["anc:K4"], row["anc:K5"]) == (
        D(2025, 10, 20), D(2025, 11, 20), D(2026, 1, 10), D(2026, 4, 1), D(2026, 5, 1))
    assert row["k1_kind"] == "Murni" and row["k4"] == D(2026, 4, 1) and row["k6"] is None
    assert (row["delivery_date"], row["attendant"], row["place"], row["live_births"]) == (
        D(2026, 6, 8), "Bidan", "Puskesmas", 1)
    assert row["kf:KF1"] == D(2026, 6, 9) and row["kf:KF2"] == D(2026, 6, 12)
    assert "kf:KF3" not in row
    with read_transaction() as conn:
        assert _section(k.kohort_ibu(conn, f.DESA_A, 2024), "ibu").rows == []


def test_json_dates_are_iso(village):
    with read_transaction() as conn:
        data = k.as_json(k.kohort_ibu(conn, f.DESA_A, YEAR))
    assert data["desa"] == {"code": f.DESA_A, "name": "Cikalong"}
    assert data["sections"][0]["rows"][0]["hpht"] == "2025-09-01"
    assert {"key": "hpht", "label": "HPHT", "group": "Kehamilan", "kind": "date",
            "part": 1} in \
        data["sections"][0]["columns"]


def test_kohort_weighings_agree_with_the_board(village):
    """What the kohort shows in a month is what PWS counts: D (weighed), N (gained) and BGM
    per month equal the board's numerators of D/S, N/D and BGM/D for the desa."""
    with read_transaction() as conn:
        kohort = k.kohort_balita(conn, f.DESA_A, YEAR)
        for month in (6, 7, 8, 9):
            key = f"m:{YEAR}-{month:02d}"
            cells = [r[key] for s in kohort.sections for r in s.rows if r.get(key)]
            board = compute.board(conn, (f.DESA_A,), Month(YEAR, month))
            num = {c["indicator"]: c["num_month"] for c in board["cells"]}
            assert len(cells) == num["ds"], month
            assert sum(c.split()[1] == "N" for c in cells) == num["nd"], month
            assert sum(c.endswith("BGM") for c in cells) == num["bgm"], month
