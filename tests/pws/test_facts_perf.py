"""The write path's shortcuts for the PWS facts never change a fact.

`FAMILY_GATES` (backend/pws/facts.py) skip the derivers a person cannot have (no pregnancy
document, no vaccination recorded); the facts with and without them must be the same for
every person of the generated demo (two desa, scale 0.25, the tests/demo fixture's seed and
day), which has every event code. The follow-up derivation reads the bodies the facts refresh
has read in the same write (Context.records): what it reads from them must be what it reads
from the database itself. The data-quality rules of a write take the z-scores the facts
computed (Records.growth): their flags must be the ones they find computing them alone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import sqlalchemy as sa

from backend.clinical import default_config, quality_flags
from backend.clinical import history as hist
from backend.db import write_transaction
from backend.followup import inputs as reads
from backend.projections.tables import encounters
from backend.pws import facts
from backend.pws.refresh import refresh_persons
from tests import factories as f
from tests.demo.conftest import SEED, TODAY
from tests.generated import demo_documents

CFG = default_config()


@pytest.fixture(scope="module")
def demo() -> list[tuple[dict, list[dict]]]:
    docs = demo_documents(0.25, SEED, TODAY)
    history: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        if doc["type"] in ("encounter", "pregnancy"):
            history[doc["person"]].append(doc)
    return [(doc, history[doc["_id"]]) for doc in docs if doc["type"] == "person"]


def person_facts_of(demo: list[tuple[dict, list[dict]]]) -> list[tuple[list, list]]:
    return [facts.person_facts(CFG, person, history) for person, history in demo]


def test_skipping_a_family_never_loses_a_fact(demo, monkeypatch):
    gated = person_facts_of(demo)
    skipped = sum(not gate(facts._Context(CFG, facts.facts_rules(CFG), person, None,
                                          hist.encounters(history, dt.date.max), history))
                  for person, history in demo for gate in facts.FAMILY_GATES.values())
    monkeypatch.setattr(facts, "FAMILY_GATES", {})
    full = person_facts_of(demo)
    assert gated == full
    # Not vacuous: the gated families occur in the demo, and the gates do skip persons.
    found = {row["event"] for _, rows in full for row in rows}
    assert {"anc_k1", "anc_k4", "persalinan", "kf_lengkap", "idl", "baduta_lengkap"} <= found
    assert skipped > len(demo)


def test_a_gate_that_drops_a_fact_is_caught(demo, monkeypatch):
    """The comparison above can fail: a gate that refuses everyone loses IDL."""
    monkeypatch.setitem(facts.FAMILY_GATES, facts.immunization_events, lambda ctx: False)
    gated = person_facts_of(demo)
    monkeypatch.setattr(facts, "FAMILY_GATES", {})
    assert gated != person_facts_of(demo)


def _slipped_child() -> tuple[dict, list[dict]]:
    """A toddler weighed at 31 kg (an implausible z-score), then measured 8 cm shorter."""
    child = f.person(name="Raka", sex="L", birth_date="2025-01-10")
    return child, [f.encounter(child, date="2026-02-03", measurements={
                       "weight_kg": 31.0, "height_cm": 80.0, "length_or_height": "lying"}),
                   f.encounter(child, date="2026-03-03", measurements={
                       "weight_kg": 10.0, "height_cm": 72.0, "length_or_height": "lying"})]


def test_quality_flags_from_the_facts_z_scores_are_the_flags_computed_alone(demo):
    shared, rules = 0, set()
    for person, history in [*demo, _slipped_child()]:
        growth: dict = {}
        facts.person_facts(CFG, person, history, growth=growth)
        alone = quality_flags(CFG, person, history)
        assert quality_flags(CFG, person, history, growth) == alone, person["_id"]
        shared += len(growth)
        rules.update(flag["rule"] for flag in alone)
    # children's visits, and the rules that read their z-scores fired
    assert shared > 1000 and {"z_tidak_wajar", "tinggi_menyusut"} <= rules


def _comparable(bodies: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in body.items() if k != "_rev"} for body in bodies),
                  key=lambda body: body["_id"])


def test_follow_up_reads_the_same_bodies_from_the_facts_refresh(demo_app):
    """Context.records: the persons and histories follow-up derivation takes from the facts
    refresh of the same write equal what it reads from the database itself (`_rev`, which
    only the tasks it edits need, aside)."""
    with write_transaction() as conn:
        ids = sorted(conn.execute(sa.select(encounters.c.person_id).distinct()).scalars())
        ids.append("person:not-stored")
        records: dict = {}
        refresh_persons(conn, ids, records=records)
        shared = reads._from_records(ids, records)
        read = reads.read_records(conn, ids)
    assert len(ids) > 100 and sum(map(len, read[1].values())) > 500
    assert shared[0].keys() == read[0].keys()
    assert _comparable(list(shared[0].values())) == _comparable(list(read[0].values()))
    assert shared[1].keys() == read[1].keys()
    for person_id, history in read[1].items():
        assert _comparable(shared[1][person_id]) == _comparable(history), person_id
