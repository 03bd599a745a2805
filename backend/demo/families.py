"""Household composition: who lives together, with ages, so the village pyramid emerges from
families rather than from independent draws.

Shares follow the shape of BPS household statistics for rural West Java (SUSENAS): mostly
nuclear families, a tenth three-generation households (grandparents often raise grandchildren
while parents work in the city), elders living alone, and female-headed households. Children
come from a fertility history (first birth around 22, spacing about 3.5 years, TFR ~2.2), and
leave home in their twenties; that is what gives ~1.7 % per single year at ages 0-4 and ~10 %
aged 60+ (docs/domain.md §1; BPS Sensus Penduduk 2020).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial

from backend.demo.common import clamp


@dataclass
class Spec:
    relation: str
    sex: str
    age: float                # years, with a fraction
    mother: int | None = None  # index of the mother in the same household


class _Family:
    def __init__(self) -> None:
        self.members: list[Spec] = []

    def add(self, relation: str, sex: str, age: float, mother: int | None = None) -> int:
        self.members.append(Spec(relation, sex, max(0.0, age), mother))
        return len(self.members) - 1

    def children(self, rng: random.Random, mother: int, relation: str = "anak") -> None:
        """The mother's children still living at home."""
        for age in _children_ages(rng, self.members[mother].age):
            sex = rng.choice("LP")
            leaves_at = rng.gauss(21, 3) if sex == "P" else rng.gauss(24, 3)
            if age < leaves_at:
                self.add(relation, sex, age, mother)


def _children_ages(rng: random.Random, mother_age: float) -> list[float]:
    wanted = rng.choices(range(6), weights=(6, 17, 36, 24, 11, 6))[0]
    at, ages = clamp(rng.gauss(22, 3.2), 17, 34), []
    while len(ages) < wanted and at <= min(mother_age, 44):
        ages.append(mother_age - at)
        at += max(1.4, rng.gauss(3.6, 1.5))
    return ages


def _couple(rng: random.Random, family: _Family, head_age: float) -> int:
    family.add("kepala", "L", head_age)
    wife_age = clamp(head_age - rng.gauss(4, 3), 17, head_age + 3)
    return family.add("istri", "P", wife_age)


def nuclear(rng: random.Random, mean_age: float = 43, sd_age: float = 14) -> list[Spec]:
    family = _Family()
    wife = _couple(rng, family, clamp(rng.gauss(mean_age, sd_age), 20, 85))
    family.children(rng, wife)
    return family.members


def with_parent(rng: random.Random) -> list[Spec]:
    family = _Family()
    head_age = clamp(rng.gauss(38, 7), 24, 55)
    wife = _couple(rng, family, head_age)
    family.children(rng, wife)
    relation = rng.choice(("orang_tua", "mertua"))
    family.add(relation, "P" if rng.random() < 0.7 else "L", head_age + rng.uniform(22, 34))
    return family.members


def three_generations(rng: random.Random) -> list[Spec]:
    """Grandparents, their unmarried children, and a married child with spouse and babies."""
    family = _Family()
    wife = _couple(rng, family, clamp(rng.gauss(58, 7), 46, 80))
    family.children(rng, wife)
    daughter = rng.random() < 0.6
    young_age = clamp(family.members[wife].age - rng.uniform(20, 30), 19, 38)
    own = family.add("anak", "P" if daughter else "L", young_age, wife)
    spouse_age = young_age + (rng.gauss(3, 2) if daughter else -rng.gauss(3, 2))
    spouse = family.add("menantu", "L" if daughter else "P", clamp(spouse_age, 18, 45))
    family.children(rng, own if daughter else spouse, relation="cucu")
    return family.members


def elder_alone(rng: random.Random) -> list[Spec]:
    """A widowed elder, sometimes raising a grandchild whose parents work away."""
    family = _Family()
    head_age = clamp(rng.gauss(70, 7), 60, 92)
    family.add("kepala", "P" if rng.random() < 0.7 else "L", head_age)
    if rng.random() < 0.35:
        family.add("cucu", rng.choice("LP"), rng.uniform(2, 16))
    return family.members


def single_mother(rng: random.Random) -> list[Spec]:
    family = _Family()
    mother = family.add("kepala", "P", clamp(rng.gauss(44, 9), 24, 70))
    family.children(rng, mother)
    return family.members


def single_young(rng: random.Random) -> list[Spec]:
    family = _Family()
    family.add("kepala", "L" if rng.random() < 0.6 else "P", rng.uniform(19, 35))
    if rng.random() < 0.15:
        family.add("famili", rng.choice("LP"), rng.uniform(15, 30))
    return family.members


# Young couples get their own entry: they are where the babies are.
KINDS = ((nuclear, 54), (partial(nuclear, mean_age=28, sd_age=4), 9), (with_parent, 9),
         (three_generations, 9), (elder_alone, 10), (single_mother, 6), (single_young, 3))


def household(rng: random.Random) -> list[Spec]:
    """One household's members (1-9 people)."""
    builders, weights = zip(*KINDS, strict=True)
    members = rng.choices(builders, weights=weights)[0](rng)
    return members[:9]
