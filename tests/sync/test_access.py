"""Who reads what over /sync (backend/sync/access.py): pure rules, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.auth.users import User
from backend.sync.access import for_user, months_before


def user(role: str, scopes=("3204190001",)) -> User:
    return User(1, role, role, role, None, frozenset(scopes))


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-03-31", 1, "2026-02-28"), ("2024-03-31", 1, "2024-02-29"),
    ("2026-01-15", 24, "2024-01-15"), ("2026-01-15", 13, "2024-12-15")])
def test_months_before_clamps_to_the_end_of_shorter_months(day, months, expected):
    assert months_before(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


def test_devices_read_their_desa_and_reference_documents_within_the_window():
    access = for_user(user("pustu"), "cookie", 24, today=dt.date(2026, 1, 15))
    assert access.scopes == ("3204190001", "*")
    assert access.encounter_cutoff == dt.date(2024, 1, 15)
    assert access.sees("*") and not access.sees("3204190002")


def test_admin_over_basic_is_an_unscoped_unwindowed_service_account():
    service = for_user(user("admin"), "basic", 24)
    device = for_user(user("admin"), "cookie", 24)
    assert service.service and service.encounter_cutoff is None
    assert service.sees("9999999999")
    assert not device.service and device.encounter_cutoff is not None
    assert not for_user(user("pustu"), "basic", 24).service  # Basic alone is not enough


def test_dinkes_reads_no_records_and_a_zero_window_means_none():
    assert for_user(user("dinkes"), "cookie", 24) is None
    assert for_user(user("kader"), "cookie", 0).encounter_cutoff is None
