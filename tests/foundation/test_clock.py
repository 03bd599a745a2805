"""The server's "today" is the Puskesmas's date in TIMEZONE, whatever zone the server runs in."""

from __future__ import annotations

import datetime as dt

import pytest

from backend import clock, create_app
from backend.sync import access

LATE_UTC = dt.datetime(2026, 3, 9, 22, 30, tzinfo=dt.UTC)  # 07:30 next morning in Jayapura


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "_utc_source", lambda: LATE_UTC)


@pytest.mark.parametrize(("zone", "today"), [
    ("Asia/Jayapura", dt.date(2026, 3, 10)),   # WIT, UTC+9: already the next day
    ("Asia/Makassar", dt.date(2026, 3, 10)),   # WITA, UTC+8: 06:30 next day
    ("Asia/Jakarta", dt.date(2026, 3, 10)),    # WIB, UTC+7: 05:30 next day
    ("UTC", dt.date(2026, 3, 9)),
])
def test_today_is_the_date_in_the_configured_zone(app, frozen, zone, today):
    app.config["TIMEZONE"] = zone
    assert clock.today() == today
    assert clock.now().utcoffset() == clock.zone().utcoffset(LATE_UTC.replace(tzinfo=None))


def test_device_window_counts_from_the_puskesmas_today(app, frozen):
    from backend.auth.users import User  # noqa: PLC0415

    app.config["TIMEZONE"] = "Asia/Jayapura"
    user = User(id=1, username="b", display_name="B", role="pustu", cluster=None, active=True,
                scopes=frozenset({"3204190001"}))
    found = access.for_user(user, "session", 1)
    assert found.encounter_cutoff == dt.date(2026, 2, 10)


def test_future_birth_date_is_judged_by_the_puskesmas_today(app, frozen):
    from backend.documents import fieldtypes  # noqa: PLC0415

    field = fieldtypes.PastDate()
    app.config["TIMEZONE"] = "Asia/Jayapura"
    assert field.deserialize("2026-03-11") == dt.date(2026, 3, 11)  # one day of slack
    app.config["TIMEZONE"] = "UTC"
    with pytest.raises(Exception, match="future"):
        field.deserialize("2026-03-11")


@pytest.mark.parametrize("name", ["Asia/Jakarta_", "WIB", "../etc/passwd", ""])
def test_unknown_timezone_fails_at_start_with_a_clear_message(tmp_path, monkeypatch, name):
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ValueError, match=r"TIMEZONE=.*Asia/Makassar"):
        create_app({"TESTING": True, "TIMEZONE": name,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
