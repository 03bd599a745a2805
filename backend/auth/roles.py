"""Roles and what each may do: which document types it writes, whether it reads records.

Roles come from docs/invariants.md §1. Which types each role writes is said per type in
`backend/documents/types.py` (reference documents: admins only); `dinkes` sees aggregates,
never person-level records. `fktp` (a jejaring clinic or private midwife) reads no records
either: it neither replicates the kecamatan nor opens records through the REST API; it finds a
person by NIK or name, reports its own cases and sees their follow-up only through
`/api/v1/pws/fktp` (backend/pws/fktp.py, docs/pws.md "Jejaring FKTP").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.documents.types import written_by


@dataclass(frozen=True)
class Role:
    name: str
    label: str                       # Bahasa Indonesia, shown in the UI
    reads_records: bool = True      # replicates and opens the records of its scope
    puskesmas_wide: bool = False     # scope defaults to every desa of the Puskesmas
    writes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "writes", written_by(self.name))


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("kader", "Kader Posyandu"),
    Role("pustu", "Petugas Pustu"),
    Role("klaster", "Petugas Klaster", puskesmas_wide=True),
    Role("kapus", "Kepala Puskesmas", puskesmas_wide=True),
    Role("admin", "Admin", puskesmas_wide=True),
    Role("dinkes", "Dinas Kesehatan", reads_records=False, puskesmas_wide=True),
    Role("fktp", "FKTP Jejaring", reads_records=False),
)}
