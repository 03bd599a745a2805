"""The document-type registry describes every type completely, and the code agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from marshmallow import Schema, fields

from backend.auth.roles import ROLES
from backend.documents import fieldtypes as ft
from backend.documents.schemas import SCHEMAS
from backend.documents.types import TYPES, Merge, PwaLoad
from backend.documents.vocabulary import PLACE_KINDS
from backend.projections.projectors import OWNED, PROJECTORS
from backend.sync.conflicts import MERGERS

RECORDS_JS = Path(__file__).parents[2] / "pwa" / "static" / "js" / "records.js"


def ref_fields(schema: Schema, prefix: str = "") -> dict[str, str]:
    """Every reference field of a schema, by registry path (`a.b`, `a[]`) -> target type."""
    found: dict[str, str] = {}
    for name, field in schema.fields.items():
        found |= _refs_of(field, prefix + (field.data_key or name))
    return found


def _refs_of(field: fields.Field, path: str) -> dict[str, str]:
    if isinstance(field, ft.Ref):
        return {path: field.doc_type}
    if isinstance(field, fields.List):
        return _refs_of(field.inner, path + "[]")
    if isinstance(field, fields.Nested):
        return ref_fields(field.schema, path + ".")
    return {}


def test_every_schema_type_is_described_and_nothing_else():
    assert set(TYPES) == set(SCHEMAS)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_reference_field_is_listed_with_its_target(name):
    listed = {ref.path: ref.target for ref in TYPES[name].references}
    assert listed == ref_fields(SCHEMAS[name]())


def test_ref_fields_finds_references_in_lists_and_nested_objects():
    refs = ref_fields(SCHEMAS["pregnancy"]())
    assert refs["delivery.babies[]"] == "person"
    assert ref_fields(SCHEMAS["posyandu_session"]())["attendance[]"] == "person"
    assert ref_fields(SCHEMAS["posyandu_visit"]()) == {
        "posyandu_session": "posyandu_session", "person": "person"}


def test_posyandu_visits_merge_per_field_and_stay_on_devices_for_the_window():
    """Every tablet of a session edits its visits (docs/pwa.md, Posyandu on several tablets)."""
    visit = TYPES["posyandu_visit"]
    assert visit.merge is Merge.FIELD_TS and visit.mutable and not visit.projected
    assert visit.device_window == "date" and visit.pwa_load is PwaLoad.HISTORY
    assert "kader" in visit.writers


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_place_references_name_their_kinds_and_others_none(name):
    for ref in TYPES[name].references:
        if ref.target == "place":
            assert ref.place_kinds and ref.place_kinds <= set(PLACE_KINDS), ref
        else:
            assert ref.place_kinds is None and ref.same_desa, ref


def test_writers_are_roles_and_reference_data_is_written_by_admins_only():
    for doc_type in TYPES.values():
        assert doc_type.writers <= set(ROLES), doc_type.name
        if doc_type.reference_data:
            assert doc_type.writers == {"admin"}
    assert ROLES["kader"].writes == {name for name, t in TYPES.items() if "kader" in t.writers}
    assert ROLES["dinkes"].writes == frozenset()


def test_projected_types_are_exactly_those_with_a_projector():
    projected = {name for name, t in TYPES.items() if t.projected}
    assert set(PROJECTORS) == projected
    assert set(OWNED) == projected


def test_merged_types_are_mutable_and_have_a_merger():
    merged = {name for name, t in TYPES.items() if t.merge is not Merge.WINNER}
    assert set(MERGERS) == merged
    assert all(TYPES[name].mutable for name in merged)


def test_written_once_types_are_exactly_the_encounters():
    """docs/invariants.md §3: encounters are written once; corrections are new encounters."""
    assert {name for name, t in TYPES.items() if not t.mutable} == {"encounter", "ilp_config"}


def test_device_window_dates_are_required_date_fields():
    for doc_type in TYPES.values():
        if doc_type.device_window:
            field = doc_type.schema().fields[doc_type.device_window]
            assert isinstance(field, fields.Date) and field.required, doc_type.name


def _js_list(name: str) -> set[str]:
    match = re.search(rf"const {name} = \[([^\]]*)\]", RECORDS_JS.read_text(encoding="utf-8"))
    assert match, f"{name} not found in records.js"
    return set(re.findall(r"'(\w+)'", match.group(1)))


def test_the_pwa_loads_each_type_as_the_registry_says():
    by_load = {load: {n for n, t in TYPES.items() if t.pwa_load is load} for load in PwaLoad}
    assert _js_list("CORE_TYPES") == by_load[PwaLoad.CORE]
    assert _js_list("HISTORY_TYPES") == by_load[PwaLoad.HISTORY]
