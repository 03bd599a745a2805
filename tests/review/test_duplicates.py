"""The `duplicate_pairs` projection: found on every write from the blocks, gone when a person
changes, is merged away or deleted; a rebuild finds what the writes found, and the blocked
search finds what comparing every pair finds."""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from backend.db import read_transaction, write_transaction
from backend.projections.tables import duplicate_pairs
from backend.review import duplicates
from backend.sync import reads
from backend.writes import rebuild_projections, write_docs
from tests import factories
from tests.factories import DESA_A, DESA_B


def _write(*docs: dict) -> list[dict]:
    with write_transaction() as conn:
        results = write_docs(conn, list(docs), None)
    assert all(r.get("ok") for r in results), results
    return results


def _pairs() -> list[tuple]:
    with read_transaction() as conn:
        return [tuple(row) for row in conn.execute(sa.select(
            duplicate_pairs.c.person_a, duplicate_pairs.c.person_b, duplicate_pairs.c.desa_a,
            duplicate_pairs.c.desa_b, duplicate_pairs.c.score, duplicate_pairs.c.reasons,
            duplicate_pairs.c.date).order_by(duplicate_pairs.c.person_a,
                                             duplicate_pairs.c.person_b))]


def _ordered(a: dict, b: dict) -> tuple[str, str]:
    return tuple(sorted((a["_id"], b["_id"])))


def _child(household: dict, name: str, **fields) -> dict:
    return factories.person(household["desa"], **{
        "name": name, "sex": "L", "birth_date": "2024-02-10", "household": household["_id"],
        **fields})


def test_a_child_registered_twice_is_a_pair_dated_by_the_later_registration(world) -> None:
    first, second = factories.household(), factories.household(head_name="Ujang")
    rizki = _child(first, "Muhammad Rizki")
    rizky = _child(second, "Muhamad Rizky", created_at="2026-03-02T09:00:00+07:00")
    _write(first, second, rizki)
    _write(rizky)
    [pair] = _pairs()
    assert pair[:2] == _ordered(rizki, rizky)
    assert pair[2:] == (DESA_A, DESA_A, 0.65, "nama_mirip,lahir_sama,desa_sama",
                        dt.date(2026, 3, 2))


def test_the_same_nik_pairs_persons_of_two_desa(world) -> None:
    a = factories.person(DESA_A, nik="3204195705940001")
    b = factories.person(DESA_B, nik="3204195705940001", name="Siti Aminah Rahayu")
    _write(a, b)
    [pair] = _pairs()
    assert pair[:4] == (*_ordered(a, b), *(DESA_A, DESA_B)[::1 if a["_id"] < b["_id"] else -1])
    assert pair[5].startswith("nik_sama")


def test_twins_and_a_father_and_son_of_the_same_name_are_not_pairs(world) -> None:
    home = factories.household(no_kk="3204190101200001")
    father = _child(home, "Asep Saepudin", birth_date="1968-04-10")
    son = _child(home, "Asep Saepudin", birth_date="1995-09-21")
    twins = [_child(home, "Muhammad Hasan"), _child(home, "Muhammad Husen")]
    _write(home, father, son, *twins)
    assert _pairs() == []


def test_an_edit_that_tells_them_apart_removes_the_pair(world) -> None:
    home = factories.household()
    a, b = _child(home, "Dadan Hidayat"), _child(home, "Dadan Hidayat", birth_date="2024-02-12")
    results = _write(home, a, b)
    assert len(_pairs()) == 1
    _write({**b, "_rev": results[2]["rev"], "birth_date": "2019-07-01"})
    assert _pairs() == []


def test_merged_and_deleted_persons_have_no_pairs(world) -> None:
    home = factories.household()
    a, b, c = (_child(home, "Dadan Hidayat") for _ in range(3))
    results = _write(home, a, b, c)
    assert len(_pairs()) == 3
    _write({**b, "_rev": results[2]["rev"], "merged_into": a["_id"]})
    assert [pair[:2] for pair in _pairs()] == [_ordered(a, c)]
    _write({"_id": c["_id"], "_rev": results[3]["rev"], "_deleted": True})
    assert _pairs() == []


def _village(rng: random.Random, homes: list[dict]) -> list[dict]:
    """Persons with few names and close birth dates, so that many blocks meet."""
    names = ["Siti Aminah", "Siti Aminah", "Siti Nurhaliza", "Siti Nur Haliza", "Euis Komariah",
             "Muhammad Rizki", "Muhamad Rizky", "Asep Saepudin", "Dadan", "Nining"]
    people = []
    for _ in range(60):
        home = rng.choice(homes)
        born = dt.date(1990, 1, 1) + dt.timedelta(days=rng.choice([0, 3, 365, 366, 400, 4000]))
        fields = {"name": rng.choice(names), "sex": rng.choice("LP"),
                  "birth_date": born.isoformat(), "household": home["_id"]}
        if rng.random() < 0.2:
            fields["nik"] = rng.choice(["3204190101900001", "3204190101900002"])
        if rng.random() < 0.1:
            fields["birth_date_estimated"] = True
        people.append(factories.person(home["desa"], **fields))
    return people


def test_rebuild_finds_what_the_writes_found_and_blocks_find_what_all_pairs_find(world) -> None:
    rng = random.Random(7)
    homes = [factories.household(DESA_A, no_kk="3204190101100001"), factories.household(DESA_A),
             factories.household(DESA_B, no_kk="3204190101100001")]
    people = _village(rng, homes)
    _write(*homes)
    for start in range(0, len(people), 7):   # several writes, each refreshing its persons
        _write(*people[start:start + 7])
    incremental = _pairs()
    assert len(incremental) > 20
    with write_transaction() as conn:
        rebuild_projections(conn)
    assert _pairs() == incremental
    with read_transaction() as conn:
        blocked, naive = duplicates.detect_all(conn), duplicates.naive_pairs(conn)
        assert blocked == naive
        assert duplicates.detect_all(conn, [DESA_B]) == duplicates.naive_pairs(conn, [DESA_B])
    assert [(p["person_a"], p["person_b"], p["score"]) for p in blocked] == [
        (p[0], p[1], p[4]) for p in incremental]


def test_a_households_corrected_no_kk_pairs_its_members_in_the_same_write(world) -> None:
    """Only a person or household document can change a pair (backend/review/refresh.py): the
    household's own write looks for its members' pairs again, and a visit's does not."""
    first = factories.household(no_kk="3204190101200001")
    second = factories.household(head_name="Ujang", no_kk="3204190101200002")
    fauzi = _child(first, "Ahmad Fauzi", birth_date="2024-02-10")
    # A similar name, born within the tolerance, one desa: 0.55 alone, 0.70 in one family.
    fauzy = _child(second, "Ahmad Fauzy", birth_date="2024-03-01")
    _write(first, second, fauzi, fauzy)
    assert _pairs() == []
    _write(factories.encounter(fauzy, measurements={"weight_kg": 11.2}))
    assert _pairs() == []
    with read_transaction() as conn:
        stored = reads.get_doc(conn, second["_id"], None, reads.ReadOptions())
    _write({**stored, "no_kk": first["no_kk"]})
    [pair] = _pairs()
    assert pair[:2] == _ordered(fauzi, fauzy) and "kk_sama" in pair[5]

