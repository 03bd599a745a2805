"""People and households of one desa: names, birth dates, relations, NIK/KK, phones and JKN.

About 750 people per desa (a rural West Java desa has 3,000-10,000; the demo keeps desa small
and makes up the count with more desa). Everyone already living there at the start of the
records was imported on the first day; babies are registered at birth.
"""

from __future__ import annotations

import datetime as dt

from backend.demo import families
from backend.demo.common import chance, new_id
from backend.demo.identity import Registry, jkn, phone
from backend.demo.model import Household, Member
from backend.demo.names import full_name
from backend.demo.village import Village

PEOPLE_PER_DESA = (620, 880)
JAVANESE_SHARE = 0.15        # transmigrant and trading families in a Sundanese kecamatan
# NIK coverage by age (Dukcapil: KTP-el from 17, KIA/akta for children; newborns often wait).
NIK_SHARE = ((1, 0.4), (17, 0.85), (200, 0.96))
JKN_HOUSEHOLDS = 0.74        # BPJS: PBI or mandiri; ~70 % of people overall


def build(village: Village, registry: Registry) -> None:
    """Fill `village.households` up to a realistic desa population."""
    rng = village.rng
    target, people = rng.randint(*PEOPLE_PER_DESA), 0
    while people < target:
        household = _household(village, registry)
        village.households.append(household)
        people += len(household.members)


def _household(village: Village, registry: Registry) -> Household:
    rng = village.rng
    posyandu = rng.choice(village.desa.posyandu)
    rt, rw = f"{rng.randint(1, 5):03d}", f"{rng.choice(posyandu.rw):03d}"
    household = Household(
        id=new_id(rng, "household"), posyandu=posyandu, rt=rt, rw=rw,
        address=f"Kp. {posyandu.dusun} RT {rt} RW {rw}", javanese=chance(rng, JAVANESE_SHARE),
        registered=village.start, clean_water=chance(rng, 0.92),
        healthy_latrine=chance(rng, 0.8))
    insured = chance(rng, JKN_HOUSEHOLDS)
    for spec in families.household(rng):
        member = _member(village, household, spec)
        member.mother = household.members[spec.mother] if spec.mother is not None else None
        _identify(village, registry, member, insured)
        household.members.append(member)
    head = household.members[0]
    if chance(rng, 0.92):  # KK issued once the head set up house (e-KK since 2005)
        adult = head.birth + dt.timedelta(days=int(365.25 * 20))
        household.no_kk = registry.no_kk(_between(village, max(adult, dt.date(2005, 1, 1))))
    with_phone = [m for m in household.members if m.phone]
    household.phone = with_phone[0].phone if with_phone and chance(rng, 0.9) else None
    return household


def _between(village: Village, first: dt.date) -> dt.date:
    """A day from `first` to the start of the records (an issue date of the past)."""
    last = village.start
    first = min(first, last)
    return first + dt.timedelta(days=village.rng.randint(0, (last - first).days))


def _member(village: Village, household: Household, spec: families.Spec) -> Member:
    rng = village.rng
    birth = village.today - dt.timedelta(days=int(spec.age * 365.25))
    estimated = birth.year < 1962 and chance(rng, 0.35)
    if estimated:  # old KTP entries: only the year is known, written as 1 July or 31 December
        birth = dt.date(birth.year, 7, 1) if chance(rng, 0.6) else dt.date(birth.year, 12, 31)
    ethnic = "jawa" if household.javanese else "sunda"
    registered = max(village.start, birth)
    return Member(id=new_id(rng, "person"), name=full_name(rng, spec.sex, birth.year, ethnic),
                  sex=spec.sex, birth=birth, relation=spec.relation, household=household,
                  registered=registered, estimated=estimated)


def _identify(village: Village, registry: Registry, member: Member, insured: bool) -> None:
    rng, age = village.rng, member.age(village.today)
    share = next(share for below, share in NIK_SHARE if age < below)
    if chance(rng, share):
        married_in = member.relation in {"istri", "menantu", "kepala"} and age >= 20
        moved = chance(rng, 0.15 if married_in else 0.03)
        member.nik = registry.nik(rng, member.sex, member.birth, member.household.javanese,
                                  moved)
    if chance(rng, 0.45 if 18 <= age <= 55 else 0.08 if age > 55 else 0.0):
        member.phone = phone(rng)
    if chance(rng, 0.96 if insured else 0.05):
        member.jkn = jkn(rng)
