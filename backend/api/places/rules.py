"""What makes a place valid in its network: pure functions over the place and its neighbours.

The document schema checks each field; these rules check a place against the others: a desa
is known by its 10-digit Kemendagri code, unique in the Puskesmas (it is the replication key of
every record of the village, so it never changes once given); a Pustu or Posyandu lies in an
existing desa, under that desa (or, for a Posyandu, under that desa's Pustu); only a Posyandu
has a monthly day.
"""

from __future__ import annotations

CREATABLE = ("desa", "pustu", "posyandu")
# Fields a place keeps for life: changing them would re-home or re-key the records under it.
FIXED = ("kind", "code", "desa")
PARENT_KINDS = {"desa": ("puskesmas",), "pustu": ("desa",), "posyandu": ("desa", "pustu")}


def with_defaults(place: dict, others: list[dict]) -> dict:
    """The place with its derived fields: a desa's `desa` is its own code, and the parent
    defaults to the Puskesmas (for a desa) or the desa's own place (for a Pustu/Posyandu)."""
    place = dict(place)
    if place.get("kind") == "desa":
        place["desa"] = place.get("code")
    if not place.get("parent"):
        parent = (_find(others, kind="puskesmas") if place.get("kind") == "desa"
                  else _find(others, kind="desa", code=place.get("desa")))
        if parent:
            place["parent"] = parent["id"]
    return place


def place_errors(place: dict, others: list[dict]) -> dict[str, list[str]]:
    """Problems of `place` (a complete place document) among `others` (rows of the places
    read model: id, kind, code, desa), keyed by field; empty when it may be written."""
    kind, errors = place.get("kind"), {}
    if kind == "desa":
        code = place.get("code") or ""
        if not (len(code) == 10 and code.isdigit()):
            errors["code"] = ["a desa needs its 10-digit Kemendagri code"]
        elif any(row["kind"] == "desa" and row["code"] == code and row["id"] != place["_id"]
                 for row in others):
            errors["code"] = [f"desa {code} already exists in this Puskesmas"]
    elif kind in ("pustu", "posyandu"):
        if place.get("code"):
            errors["code"] = ["only a desa (or the Puskesmas) has a Kemendagri code"]
        if not _find(others, kind="desa", code=place.get("desa")):
            errors["desa"] = [f"no desa {place.get('desa')!r} in this Puskesmas"]
    if kind == "posyandu" and place.get("schedule_day") is None:
        errors["schedule_day"] = ["a Posyandu needs its monthly day (1-28)"]
    if kind != "posyandu" and place.get("schedule_day") is not None:
        errors["schedule_day"] = ["only a Posyandu has a monthly day"]
    problem = _parent_problem(place, others)
    if problem:
        errors["parent"] = [problem]
    return errors


def fixed_changes(current: dict, changes: dict) -> list[str]:
    """The fields an edit may not change that it would change."""
    return [name for name in FIXED if name in changes and changes[name] != current.get(name)]


def _parent_problem(place: dict, others: list[dict]) -> str | None:
    parent_id, kinds = place.get("parent"), PARENT_KINDS.get(place.get("kind"), ())
    if not parent_id:
        optional = place.get("kind") == "puskesmas" or (
            place.get("kind") == "desa" and not _find(others, kind="puskesmas"))
        return None if optional else "a place needs its parent"
    parent = _find(others, id=parent_id)
    if parent is None or parent["kind"] not in kinds:
        return f"the parent must be an existing {' or '.join(kinds) or 'place'}"
    if place.get("kind") != "desa" and parent["desa"] != place.get("desa"):
        return "the parent must lie in the same desa"
    return None


def _find(rows: list[dict], **match) -> dict | None:
    return next((row for row in rows if all(row.get(k) == v for k, v in match.items())), None)
