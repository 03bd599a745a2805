"""Due-list items: one shape for every kind of service, and the window arithmetic they share
(JS twin: items.js). The shape is documented in docs/clinical-rules.md."""

from __future__ import annotations

from datetime import date

STATUS_ORDER = ("overdue", "due", "upcoming", "done", "missed")


def make_item(code: str, kind: str, label: str, status: str, source: str, *,
              due_from: date | None = None, due_until: date | None = None, **extra) -> dict:
    item = {"code": code, "kind": kind, "label": label, "status": status,
            "due_from": _iso(due_from), "due_until": _iso(due_until)}
    item.update({key: _iso(value) for key, value in extra.items() if value is not None})
    item["source"] = source
    return item


def window_status(on: date, start: date, end: date | None, lookahead: int) -> str | None:
    """Status of a service not yet given in the window [start, end] (end inclusive):
    upcoming within the look-ahead, due inside, missed after; None when too far ahead."""
    if on < start:
        return "upcoming" if (start - on).days <= lookahead else None
    if end is None or on <= end:
        return "due"
    return "missed"


def sort_items(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda item: (STATUS_ORDER.index(item["status"]),
                                           item["due_from"] or "", item["code"]))


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
