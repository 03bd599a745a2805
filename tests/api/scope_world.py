"""Records in three desa for the generated scope test, and what each user must never see.

Desa A and B are in the factories' world; desa C is in the Puskesmas but in nobody's area,
so every role (the Puskesmas-wide ones too) has an "other" desa. Every record's name carries
`Rahasia-<desa>`: a marker that must never appear in an answer to a user outside that desa.
A baby registered in C (with a visit and a task there) then moved to A, and a woman who left
A for C (her visit and task stay in A, her name is now C's to keep) test the joins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backend import audit
from backend.auth.roles import ROLES
from backend.db import write_transaction
from backend.writes import write_docs
from tests import factories as f

DESA_C = "3204190003"
ALL_DESA = (f.DESA_A, f.DESA_B, DESA_C)
KINDS = ("household", "person", "encounter", "task")


def marker(desa: str) -> str:
    return f"Rahasia-{desa}"


@dataclass
class ScopeWorld:
    records: dict[str, dict[str, dict]]       # desa → kind → document (with _rev)
    moved: dict[str, dict]                    # person (now in A), visit and task (in C)
    place_c: dict                             # desa C's place document
    secrets: dict[str, set[str]] = field(default_factory=dict)  # desa → ids and markers

    def own(self, username: str) -> str:
        return sorted(f.ROLE_USERS[username][2])[0]

    def others(self, username: str) -> list[str]:
        return [d for d in ALL_DESA if d not in f.ROLE_USERS[username][2]]

    def hidden_from(self, username: str) -> set[str]:
        """Every id and marker the user must never be shown."""
        role, _, scopes = f.ROLE_USERS[username]
        visible = set(scopes) if ROLES[role].reads_records else set()
        return set().union(*(self.secrets[d] for d in ALL_DESA if d not in visible))

    def leaks(self, username: str, text: str) -> list[str]:
        return sorted(secret for secret in self.hidden_from(username) if secret in text)


def _records(desa: str) -> dict[str, dict]:
    home = f.household(desa=desa, head_name=marker(desa), no_kk=f"320419{desa[-4:]}000001")
    person = f.person(desa=desa, name=marker(desa), nik=f"3204195705{desa[-4:]}01",
                      household=home["_id"])
    return {"household": home, "person": person,
            "encounter": f.encounter(person, notes=marker(desa)),
            "task": f.task(person, reason=marker(desa))}


def _moved() -> tuple[dict, list[dict]]:
    """The baby keeps its desa-C household: its own document names it, but the household's
    no. KK must not ride along in desa A's person search."""
    home = f.household(desa=DESA_C, head_name=marker(DESA_C), no_kk="3204190003999999")
    born = (dt.date.today() - dt.timedelta(days=70)).isoformat()
    baby = f.person(desa=DESA_C, name="Bayi Pindahan", sex="L", birth_date=born,
                    household=home["_id"])
    visit = f.encounter(baby, date=born, setting="puskesmas", notes=marker(DESA_C),
                        immunizations=[{"vaccine": "BCG", "dose": 1, "date": born}])
    return baby, [home, visit, f.task(baby, reason=marker(DESA_C))]


def _left_a() -> tuple[dict, list[dict]]:
    woman = f.person(desa=f.DESA_A, name=f"{marker(DESA_C)} Pindah")
    return woman, [f.encounter(woman), f.task(woman)]


def _write(conn, docs: list[dict], checked: bool = True) -> None:
    results = write_docs(conn, docs, None) if checked else f.write_unchecked(conn, docs)
    assert all(r.get("ok") for r in results), results
    for doc, result in zip(docs, results, strict=True):
        doc["_rev"] = result["rev"]


def build(world: f.World) -> ScopeWorld:
    with write_transaction() as conn:
        place_c = f.place("desa", "Sukalaksana", DESA_C, code=DESA_C,
                          parent=world.puskesmas["_id"])
        _write(conn, [place_c])
        records = {desa: _records(desa) for desa in ALL_DESA}
        _write(conn, [doc for kinds in records.values() for doc in kinds.values()])
        baby, (home, visit, todo) = _moved()
        _write(conn, [home, baby, visit, todo])
        woman, woman_records = _left_a()
        _write(conn, [woman, *woman_records])
        # Moves as data written before the reference checks existed would hold them: the baby
        # in A still names its desa-C household. The write path refuses that link today
        # (docs/documents.md), but the reads must not leak through it either.
        _write(conn, [{**baby, "desa": f.DESA_A}, {**woman, "desa": DESA_C}], checked=False)
        audit.record(conn, actor=None, action="record.open", target_type="person",
                     target_id=records[DESA_C]["person"]["_id"], desa=DESA_C)
    out = ScopeWorld(records, {"person": baby, "visit": visit, "task": todo}, place_c)
    for desa in ALL_DESA:
        out.secrets[desa] = {doc["_id"] for doc in records[desa].values()} | {marker(desa)}
    out.secrets[DESA_C] |= {visit["_id"], todo["_id"], home["no_kk"]}
    return out
