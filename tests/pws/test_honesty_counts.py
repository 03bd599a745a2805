"""backend/review/counts.py on SQLite and PostgreSQL: records with open flags and open pairs of
possible duplicates per desa and month, over rows inserted straight into the review tables."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.db import read_transaction, write_transaction
from backend.projections.tables import duplicate_pairs, persons, quality_flags
from backend.pws.months import Month
from backend.review import counts
from backend.review.tables import duplicate_verdicts, reviews
from tests.factories import DESA_A, DESA_B

D = dt.date
JUNE = (D(2026, 6, 1), D(2026, 6, 30))


def _person(pid, desa, merged_into=None):
    return {"id": pid, "desa": desa, "name": pid, "name_key": pid, "sex": "L",
            "birth_date": D(2024, 1, 1), "birth_date_estimated": False,
            "merged_into_id": merged_into}


def _flag(doc, person, desa, day, rule):
    return {"doc_id": doc, "doc_type": "encounter", "person_id": person, "desa": desa,
            "date": day, "rule": rule, "field": None, "detail": "uji"}


def _review(doc, person, desa, day, status, rules):
    return {"doc_id": doc, "doc_type": "encounter", "desa": desa, "person_id": person,
            "date": day, "rev": "1-a", "status": status, "rules": rules, "note": None,
            "task_id": None, "reviewed_by": "klaster2", "reviewed_at": "2026-07-01T08:00:00Z"}


def _pair(a, b, desa_a, desa_b, day):
    return {"person_a": a, "person_b": b, "desa_a": desa_a, "desa_b": desa_b, "score": 0.9,
            "reasons": "nik", "date": day}


@pytest.fixture
def seeded(app, world):
    with write_transaction() as conn:
        conn.execute(persons.insert(), [
            _person("a1", DESA_A), _person("a2", DESA_A), _person("a3", DESA_A),
            _person("a4", DESA_A, merged_into="a3"), _person("b1", DESA_B),
            _person("b2", DESA_B)])
        conn.execute(quality_flags.insert(), [
            # e1: two rules on one record → one record.
            _flag("e1", "a1", DESA_A, D(2026, 6, 3), "tinggi_turun"),
            _flag("e1", "a1", DESA_A, D(2026, 6, 3), "z_tidak_wajar"),
            # e2: verified (benar) while its rule was open → resolved.
            _flag("e2", "a2", DESA_A, D(2026, 6, 9), "z_tidak_wajar"),
            # e3: reviewed for one rule, a second rule fired later → still open.
            _flag("e3", "a2", DESA_A, D(2026, 6, 20), "z_tidak_wajar"),
            _flag("e3", "a2", DESA_A, D(2026, 6, 20), "bb_melonjak"),
            # e4: perbaikan asked: still in doubt until the correction arrives.
            _flag("e4", "a3", DESA_A, D(2026, 6, 21), "hpht_kosong"),
            # the merged-away person's own record: no longer counted.
            _flag("p4", "a4", DESA_A, D(2026, 6, 22), "nik_jenis_kelamin"),
            # May, and desa B.
            _flag("e5", "a1", DESA_A, D(2026, 5, 31), "tinggi_turun"),
            _flag("e6", "b1", DESA_B, D(2026, 6, 1), "tinggi_turun"),
        ])
        conn.execute(reviews.insert(), [
            _review("e2", "a2", DESA_A, D(2026, 6, 9), "benar", "z_tidak_wajar"),
            _review("e3", "a2", DESA_A, D(2026, 6, 20), "tidak_relevan", "z_tidak_wajar"),
            _review("e4", "a3", DESA_A, D(2026, 6, 21), "perbaikan", "hpht_kosong"),
        ])
        conn.execute(duplicate_pairs.insert(), [
            _pair("a1", "a2", DESA_A, DESA_A, D(2026, 6, 5)),      # open, A once
            _pair("a1", "b1", DESA_A, DESA_B, D(2026, 6, 6)),      # open, A and B
            _pair("a2", "a3", DESA_A, DESA_A, D(2026, 6, 7)),      # declared different
            _pair("a3", "a4", DESA_A, DESA_A, D(2026, 6, 8)),      # a4 merged away
            _pair("b1", "b2", DESA_B, DESA_B, D(2026, 5, 2)),      # May
        ])
        conn.execute(duplicate_verdicts.insert(), [
            {"person_a": "a2", "person_b": "a3", "verdict": "bukan_duplikat",
             "decided_by": "klaster2", "decided_at": "2026-06-10T08:00:00Z"}])


def test_open_flags_count_records_not_rules_and_leave_resolved_and_merged_out(seeded):
    with read_transaction() as conn:
        got = counts.open_flags(conn, [DESA_A, DESA_B], *JUNE)
    # A: e1 (two rules, one record), e3 (a later rule), e4 (perbaikan) = 3; e2 verified, p4
    # merged away, e5 in May. B: e6.
    assert got == {DESA_A: 3, DESA_B: 1}


def test_open_duplicates_count_a_pair_in_each_desa_it_touches(seeded):
    with read_transaction() as conn:
        got = counts.open_duplicates(conn, [DESA_A, DESA_B], *JUNE)
    assert got == {DESA_A: 2, DESA_B: 1}


def test_only_the_desa_asked_for_and_zero_when_none(seeded):
    with read_transaction() as conn:
        assert counts.open_flags(conn, [DESA_B], *JUNE) == {DESA_B: 1}
        assert counts.open_duplicates(conn, [DESA_A], D(2026, 7, 1), D(2026, 7, 31)) == {DESA_A: 0}
        assert counts.open_flags(conn, [], *JUNE) == {}


def test_month_grouped_counts_agree_with_each_month(seeded):
    months = [Month(2026, 5), Month(2026, 6)]
    with read_transaction() as conn:
        flags = counts.open_flags_by_month(conn, [DESA_A, DESA_B], months)
        pairs = counts.open_duplicates_by_month(conn, [DESA_A, DESA_B], months)
    assert flags == {DESA_A: {"2026-05": 1, "2026-06": 3}, DESA_B: {"2026-05": 0, "2026-06": 1}}
    assert pairs == {DESA_A: {"2026-05": 0, "2026-06": 2}, DESA_B: {"2026-05": 1, "2026-06": 1}}
