"""Calendar arithmetic behind every age window."""

from __future__ import annotations

from datetime import date

import pytest

from backend.clinical.dates import add_duration, add_months, age, parse_date
from backend.clinical.errors import ClinicalInputError


def test_months_clamp_to_the_end_of_shorter_months() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_durations_combine_years_months_weeks_days() -> None:
    assert add_duration(date(2025, 1, 10), "P1Y2M3W4D") == date(2026, 4, 4)
    assert add_duration(date(2025, 1, 10), "P0D") == date(2025, 1, 10)
    with pytest.raises(ValueError):
        add_duration(date(2025, 1, 10), "2 months")


def test_age_counts_completed_months_and_years() -> None:
    assert age(date(2024, 2, 29), date(2025, 2, 28)) == {"days": 365, "months": 12, "years": 1}
    assert age(date(2024, 1, 31), date(2024, 2, 28))["months"] == 0
    assert age(date(2024, 1, 31), date(2024, 2, 29))["months"] == 1


@pytest.mark.parametrize("text", ["2025-02-30", "2025-2-3", "03/02/2025", 20250203, None])
def test_bad_dates_name_the_field(text: object) -> None:
    with pytest.raises(ClinicalInputError) as raised:
        parse_date(text, "person.birth_date")
    assert raised.value.field == "person.birth_date"
