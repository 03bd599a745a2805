"""PWS months (backend/pws/months.py): parsing, bounds, periods and the accepted range."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.pws.months import (
    Month,
    check_month,
    earliest_month,
    months_ending,
    parse_month,
    period_start,
)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-6", "26-06", "juni", "", None, 202606,
                                  "2026-06-01", "2026/06"])
def test_malformed_months_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="bulan"):
        parse_month(text)


def test_bounds_and_leap_february():
    assert parse_month("2024-02").last_day == dt.date(2024, 2, 29)
    assert parse_month("2026-02").last_day == dt.date(2026, 2, 28)
    assert Month(2026, 12).first_day == dt.date(2026, 12, 1)
    assert str(Month(2026, 1).previous) == "2025-12"


def test_periods():
    june, august = Month(2026, 6), Month(2026, 8)
    assert period_start("cumulative", august) == Month(2026, 1)
    assert period_start("semester", june) == Month(2026, 1)
    assert period_start("semester", august) == Month(2026, 7)
    assert period_start("monthly", august) == period_start("prevalence", august) == august
    assert (august.months_elapsed, august.months_into_semester) == (8, 2)
    with pytest.raises(ValueError):
        period_start("weekly", august)


def test_twelve_months_cross_the_year():
    months = months_ending(Month(2026, 3))
    assert (str(months[0]), str(months[-1]), len(months)) == ("2025-04", "2026-03", 12)


def test_accepted_range_is_five_years_back_to_now():
    now = Month(2026, 6)
    assert earliest_month(now) == Month(2021, 6)
    assert check_month(Month(2021, 6), now) == Month(2021, 6)
    assert check_month(now, now) == now
    with pytest.raises(ValueError, match="belum"):
        check_month(Month(2026, 7), now)
    with pytest.raises(ValueError, match="5 tahun"):
        check_month(Month(2021, 5), now)
