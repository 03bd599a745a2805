"""`household` and `person` documents from the generator's people, written last so they carry
what the histories established (PIS-PK, Posyandu)."""

from __future__ import annotations

from backend.demo.common import chance, head
from backend.demo.model import Household, Member
from backend.demo.pispk import indicators
from backend.demo.village import Village

PISPK_SURVEYED = 0.85     # share of families visited for the PIS-PK family survey


def household_doc(village: Village, household: Household) -> dict:
    head_member = household.members[0]
    doc = {**head(village.rng, "household", village.desa.code, household.registered,
                  village.staff.kader.username, household.id),
           "head_name": head_member.name, "address": household.address, "rt": household.rt,
           "rw": household.rw, "dusun": household.posyandu.dusun,
           "posyandu": household.posyandu.id}
    for key in ("no_kk", "phone"):
        if getattr(household, key):
            doc[key] = getattr(household, key)
    if chance(village.rng, PISPK_SURVEYED):
        doc["pis_pk"] = indicators(household, village.today)
    return doc


def person_doc(village: Village, member: Member) -> dict:
    """Babies are registered by the Pustu midwife at birth, everyone else by the kader."""
    born_here = member.registered > village.start
    staff = village.staff.bidan if born_here else village.staff.kader
    doc = {**head(village.rng, "person", village.desa.code, member.registered, staff.username,
                  member.id),
           "name": member.name, "sex": member.sex, "birth_date": member.birth.isoformat(),
           "household": member.household.id, "relation": member.relation,
           "posyandu": member.household.posyandu.id}
    if member.estimated:
        doc["birth_date_estimated"] = True
    if member.mother:
        doc["mother"] = member.mother.id
    for key in ("nik", "phone", "jkn"):
        if getattr(member, key):
            doc[key] = getattr(member, key)
    return doc
