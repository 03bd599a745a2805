"""One desa being generated: its RNG, places, staff, the documents made so far, and the one
function that turns a visit into an `encounter` document (attached to its Posyandu session)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from backend.demo.common import head, stamp
from backend.demo.model import Finding, Household, Member
from backend.demo.places import Desa, Posyandu, session_days
from backend.demo.staff import DesaStaff, recorder

HISTORY_NOTE = "Riwayat disalin dari Buku KIA"


TEEN_UNTIL_YEARS = 18


def teen_pregnant(person: Member, day: dt.date) -> bool:
    """Pregnant on `day` and under 18: her visits belong to Klaster 2 (ibu dan anak), whatever
    brought her in (Permenkes 21/2021: pregnancy care; ILP: children and adolescents < 18 are
    Klaster 2)."""
    return person.age(day) < TEEN_UNTIL_YEARS and any(
        start <= day <= end for start, end in person.health.pregnancies)


@dataclass
class Village:
    rng: random.Random
    today: dt.date
    start: dt.date              # first day of the two years of records
    desa: Desa
    puskesmas_id: str
    staff: DesaStaff
    households: list[Household] = field(default_factory=list)
    docs: list[dict] = field(default_factory=list)
    sessions: dict[tuple[str, dt.date], dict] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def members(self) -> list[Member]:
        return [m for household in self.households for m in household.members]

    def session(self, posyandu: Posyandu, day: dt.date) -> dict:
        """The `posyandu_session` of that day, created on first attendance."""
        key = (posyandu.id, day)
        if key not in self.sessions:
            kader = self.staff.kader.username
            self.sessions[key] = {
                **head(self.rng, "posyandu_session", self.desa.code, day, kader),
                "posyandu": posyandu.id, "date": day.isoformat(),
                "status": "closed" if day < self.today else "open",
                "attendance": [], "kader": [kader]}
        return self.sessions[key]

    def posyandu_day(self, person: Member, near: dt.date) -> dt.date | None:
        """The person's Posyandu day closest to `near` within the records, if any."""
        posyandu = person.household.posyandu
        first = max(self.start, person.birth, near - dt.timedelta(days=20))
        days = session_days(posyandu, first, min(self.today, near + dt.timedelta(days=20)))
        return min(days, key=lambda d: abs((d - near).days)) if days else None

    def place_for(self, person: Member, setting: str) -> str | None:
        return {"posyandu": person.household.posyandu.id, "pustu": self.desa.pustu_id,
                "home": self.desa.pustu_id, "puskesmas": self.puskesmas_id}.get(setting)

    def visit(self, person: Member, day: dt.date, setting: str, cluster: str, *,
              clinical: bool = False, by: str | None = None, **fields) -> dict:
        """Record one encounter; empty fields are left out, as a tablet would. `by` and a
        `provider` field override the usual recorder (a visit transcribed by someone else)."""
        if teen_pregnant(person, day):
            cluster = "2"  # a pregnant girl under 18 is seen by the mother-and-child cluster
        usual, provider = recorder(self.staff, setting, cluster, clinical)
        day_recorded = max(day, person.registered)
        doc = {**head(self.rng, "encounter", self.desa.code, day_recorded, by or usual),
               "person": person.id, "date": day.isoformat(), "setting": setting,
               "provider": provider, "cluster": cluster}
        if day < person.registered:  # history copied from the Buku KIA at registration
            doc["notes"] = HISTORY_NOTE
        place = self.place_for(person, setting)
        if place:
            doc["place"] = place
        if setting == "posyandu" and day >= self.start:
            session = self.session(person.household.posyandu, day)
            doc["posyandu_session"] = session["_id"]
            if person.id not in session["attendance"]:
                session["attendance"].append(person.id)
        doc.update({k: v for k, v in fields.items() if v not in (None, [], {})})
        self.docs.append(doc)
        return doc

    def find(self, person: Member, day: dt.date, reason: str, source: str, cluster: str,
             kind: str) -> None:
        self.findings.append(Finding(person, day, reason, source, cluster, kind))

    def stamp(self, day: dt.date) -> str:
        return stamp(self.rng, day)
