"""The 12 PIS-PK family indicators (docs/domain.md §7) read off the facts of a household's members;
codes are those of config/ilp/pispk.json. Y = yes, T = no, N = does not apply."""

from __future__ import annotations

import datetime as dt

from backend.demo.common import add_months
from backend.demo.immunization import complete_by_one
from backend.demo.model import Household, Member


def _flag(applies: list[Member], good) -> str:
    if not applies:
        return "N"
    return "Y" if all(good(m) for m in applies) else "T"


def _months(member: Member, today: dt.date, low: int, high: int) -> bool:
    return add_months(member.birth, low) <= today < add_months(member.birth, high)


def indicators(household: Household, today: dt.date) -> dict[str, str]:
    people = household.members
    adults = [m for m in people if m.age(today) >= 15]
    couples = [m for m in people if m.sex == "P" and m.relation in {"istri", "menantu"}
               and 15 <= m.age(today) < 50]
    births = [p for m in people for p in m.health.delivery_places]
    recent_weighing = add_months(today, -2)
    return {
        "kb": _flag(couples, lambda m: m.health.family_planning),
        "persalinan_faskes": "N" if not births else "Y" if "rumah" not in births else "T",
        "imunisasi_lengkap": _flag([m for m in people if _months(m, today, 12, 24)],
                                   lambda m: complete_by_one(m.birth, m.health.vaccines)),
        "asi_eksklusif": _flag([m for m in people if _months(m, today, 7, 24)],
                               lambda m: m.health.exclusive_breastfeeding),
        "pemantauan_pertumbuhan": _flag(
            [m for m in people if _months(m, today, 2, 60)],
            lambda m: (m.health.last_weighed or dt.date.min) >= recent_weighing),
        "tb_berobat": _flag([m for m in adults if "A15.0" in m.health.diagnosed],
                            lambda m: True),
        "hipertensi_berobat": _flag([m for m in adults if "I10" in m.health.conditions],
                                    lambda m: "I10" in m.health.diagnosed
                                    and m.health.adherence == "regular"),
        "gangguan_jiwa_berobat": _flag([m for m in adults if "F20.9" in m.health.conditions],
                                       lambda m: m.health.adherence != "lost"),
        "tidak_merokok": "T" if any(m.health.smoker for m in adults) else "Y",
        "jkn": "Y" if all(m.jkn for m in people) else "T",
        "air_bersih": "Y" if household.clean_water else "T",
        "jamban_sehat": "Y" if household.healthy_latrine else "T",
    }
