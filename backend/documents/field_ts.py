"""The one rule for stamping `field_ts` on an edit (JS twin: pwa/static/js/field-ts.js).

The conflict merger (backend/sync/conflicts.py) takes, per top-level field, the value whose
`field_ts` entry is newest. Both writers — the PWA on the device and `PATCH` on the REST API —
stamp through this rule, checked against the shared vectors in tests/vectors/field_ts.json:

* Only a field whose value changes is stamped; an edit that repeats the stored value claims
  nothing, so it cannot override a newer edit made elsewhere.
* Empty (`None` or `""`) removes the field; a removal of a present field is an edit and is
  stamped (the merger reads "stamped but absent" as a removal). Emptying an absent field is
  no change.
* Values compare by content: objects key by key whatever the key order, lists in order,
  numbers by value (1 == 1.0) but never a boolean as a number.
* A nested value (an object or list) is one field: it is replaced whole and stamped under its
  top-level name, because the merger merges top-level fields only.
* Bookkeeping fields are not edits: changing them is a programming error.
"""

from __future__ import annotations

BOOKKEEPING = frozenset({"_id", "_rev", "_revisions", "_attachments", "_deleted", "_conflicts",
                         "type", "schema", "created_at", "created_by", "updated_at",
                         "updated_by", "field_ts"})


def is_empty(value: object) -> bool:
    return value is None or value == ""


def same_value(a: object, b: object) -> bool:
    """Equality as JSON sees it (the JS twin compares parsed JSON the same way)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def changed_fields(current: dict, changes: dict) -> list[str]:
    """Names in `changes` whose value differs from `current` (empty and absent are alike)."""
    bad = sorted(changes.keys() & BOOKKEEPING)
    if bad:
        raise ValueError(f"not editable: {', '.join(bad)}")
    changed = []
    for name, value in changes.items():
        before = current.get(name)
        if is_empty(value) and is_empty(before):
            continue
        if not same_value(before, value):
            changed.append(name)
    return changed


def apply_changes(current: dict, changes: dict, now: str) -> dict:
    """`current` with `changes` applied and each changed field stamped `now`; `current` is
    returned as an equal copy when nothing changed (the caller decides whether to save)."""
    doc = dict(current)
    field_ts = dict(current.get("field_ts") or {})
    for name in changed_fields(current, changes):
        if is_empty(changes[name]):
            doc.pop(name, None)
        else:
            doc[name] = changes[name]
        field_ts[name] = now
    if field_ts:
        doc["field_ts"] = field_ts
    return doc
