"""How the worker writes times in its tables: UTC ISO strings of one fixed shape, so that
comparing two of them as text (in SQL, on both databases) compares the instants."""

from __future__ import annotations

import datetime as dt


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
