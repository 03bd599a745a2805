"""The generator's own picture of the village: people with hidden health truths, households,
and findings that become follow-up tasks. Documents are derived from these, never the reverse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backend.demo.places import Posyandu


@dataclass
class Health:
    """What is true of a person; visits only reveal it through measurements and answers."""

    height_cm: float = 0.0
    bmi: float = 0.0
    smoker: bool = False
    pack_years: float = 0.0
    sbp: int = 0                 # usual systolic pressure without treatment
    dbp: int = 0
    glucose: float = 0.0         # usual random (GDS) glucose, mg/dL
    conditions: set[str] = field(default_factory=set)    # ICD-10 codes that are true
    diagnosed: dict[str, dt.date] = field(default_factory=dict)  # code -> first diagnosis
    adherence: str = "regular"   # regular / irregular / lost, for chronic controls
    distressed: bool = False     # would answer SRQ-20 with >= 6 "ya"
    family_planning: bool = False
    haz: float = 0.0             # children: target length-for-age z
    whz: float = 0.0             # children: usual weight-for-length z
    immunization: str = "complete"   # complete / late / dropout / refuse
    vaccines: dict[tuple[str, int], dt.date] = field(default_factory=dict)
    exclusive_breastfeeding: bool = False
    last_weighed: dt.date | None = None
    # Growth tracks: a child's own head-size z, the last length-equivalent and head
    # circumference measured (a later measurement never shrinks), a stature z that carries a
    # child through the teenage years into the adult height, and when weight falters.
    head_z: float = 0.0
    last_length: float = 0.0
    last_head: float = 0.0
    stature_z: float | None = None
    bmi_z: float | None = None
    last_height: float = 0.0
    falter_from: dt.date | None = None
    # (HPHT, end) of each pregnancy, so visits of a pregnant teenager go to cluster 2.
    pregnancies: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    delivery_places: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Household:
    id: str
    posyandu: Posyandu
    rt: str
    rw: str
    address: str
    javanese: bool
    registered: dt.date
    members: list[Member] = field(default_factory=list)
    no_kk: str | None = None
    phone: str | None = None
    clean_water: bool = True
    healthy_latrine: bool = True


@dataclass(eq=False)
class Member:
    id: str
    name: str
    sex: str
    birth: dt.date
    relation: str
    household: Household
    registered: dt.date
    mother: Member | None = None
    estimated: bool = False
    nik: str | None = None
    phone: str | None = None
    jkn: str | None = None
    health: Health = field(default_factory=Health)

    def age(self, day: dt.date) -> int:
        """Completed years on `day`."""
        years = day.year - self.birth.year
        return years - ((day.month, day.day) < (self.birth.month, self.birth.day))


@dataclass
class Finding:
    """Something a visit found that the Pustu should follow up at home (docs/domain.md §1 flow)."""

    person: Member
    day: dt.date
    reason: str
    source: str          # the encounter id, or "pws:<indicator>" for the monthly PWS review
    cluster: str
    kind: str            # selects the outcome text when the task is done
