"""Roles and what each may do: which document types it writes, whether it reads records.

Roles come from docs/invariants.md §1. Reference documents (places, ILP config) are written by
admins only; `dinkes` sees aggregates, never person-level records.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMUNITY_TYPES = frozenset({"household", "person", "pregnancy", "encounter",
                             "posyandu_session", "subscription_consent"})
CLINICAL_TYPES = COMMUNITY_TYPES | {"task"}
REFERENCE_TYPES = frozenset({"place", "ilp_config"})


@dataclass(frozen=True)
class Role:
    name: str
    label: str                       # Bahasa Indonesia, shown in the UI
    writes: frozenset[str]
    reads_records: bool = True
    puskesmas_wide: bool = False     # scope defaults to every desa of the Puskesmas


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("kader", "Kader Posyandu", COMMUNITY_TYPES),
    Role("pustu", "Petugas Pustu", CLINICAL_TYPES),
    Role("klaster", "Petugas Klaster", CLINICAL_TYPES, puskesmas_wide=True),
    Role("kapus", "Kepala Puskesmas", CLINICAL_TYPES, puskesmas_wide=True),
    Role("admin", "Admin", CLINICAL_TYPES | REFERENCE_TYPES, puskesmas_wide=True),
    Role("dinkes", "Dinas Kesehatan", frozenset(), reads_records=False, puskesmas_wide=True),
    Role("fktp", "FKTP Jejaring", frozenset({"household", "person", "encounter"})),
)}
CLUSTERS = ("1", "2", "3", "4", "lintas")
