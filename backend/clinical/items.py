"""Due-list items: one shape for every kind of service, and the window arithmetic they share
(JS twin: items.js). The shape is documented in docs/clinical-rules.md."""

from __future__ import annotations

from datetime import date

# Urgency: what is late, what is due now, what the Buku KIA may show was given (to copy in
# before giving anything), what comes soon, what is done, what can no longer be given.
STATUS_ORDER = ("overdue", "due", "not_recorded", "upcoming", "done", "missed")
# Kinds whose items are one sequence a health worker reads in order (K1..K6): kept together,
# in code order, at the place of the most urgent of them.
SEQUENCES = ("anc",)


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
    """By urgency (STATUS_ORDER), then `due_from` and `code`; a SEQUENCES kind as one block."""
    def key(item: dict) -> tuple:
        return (STATUS_ORDER.index(item["status"]), item["due_from"] or "", item["code"])

    first = {kind: min(key(item) for item in items if item["kind"] == kind)
             for kind in SEQUENCES if any(item["kind"] == kind for item in items)}
    return sorted(items, key=lambda item: (first[item["kind"]], item["code"])
                  if item["kind"] in SEQUENCES else (key(item), ""))


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
