"""Demo staff: one login per role (docs/invariants.md §1) and who records each kind of visit.

Usernames are readable and stable (`kader.<desa>`, `bidan.<desa>`, `klaster2`, `kapus`) because
the README lists them. Every demo account shares DEMO_PASSWORD: it is for demonstrations only
and must never reach a production database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.auth.roles import ROLES
from backend.demo.names import fixed_name
from backend.demo.places import desa_index, desa_name

DEMO_PASSWORD = "siklus-demo"  # demo-only, see docs/demo.md
FKTP_NAME = "Klinik Pratama Sehat Medika"
PMB_NAME = "PMB Bidan Neneng Rohayati"   # a private midwife; reports through the fktp login


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    cluster: str | None = None


# Puskesmas-wide accounts: (username, display name, role, cluster).
PUSKESMAS_ACCOUNTS = (
    Account("admin", "Rudi Hartono (Admin Sistem)", "admin"),
    Account("kapus", "dr. Hendra Gunawan (Kepala Puskesmas)", "kapus"),
    Account("klaster1", "Dewi Kartika, S.K.M. (Klaster 1 Manajemen)", "klaster", "1"),
    Account("klaster2", "dr. Rina Marlina (Klaster 2 Ibu dan Anak)", "klaster", "2"),
    Account("klaster3", "dr. Agus Salim (Klaster 3 Dewasa dan Lansia)", "klaster", "3"),
    Account("klaster4", "Yudi Permana, A.Md.Kes. (Klaster 4 Penyakit Menular)", "klaster", "4"),
    Account("lintasklaster", "dr. Fajar Nugraha (Lintas Klaster)", "klaster", "lintas"),
    # The service flow's desks (docs/flow.md): the loket clerk, the lab analyst, the pharmacist.
    # After the cluster accounts above, so `recorder` still finds those first.
    Account("loket", "Siti Aminah, A.Md. (Pendaftaran)", "klaster", "1"),
    Account("analis", "Rudi Hartono, A.Md.AK (Laboratorium)", "klaster", "lintas"),
    Account("apoteker", "apt. Lina Marlina, S.Farm. (Farmasi)", "klaster", "lintas"),
    Account("dinkes", "Seksi Kesmas Dinas Kesehatan", "dinkes"),
    Account("fktp", FKTP_NAME, "fktp"),
)
# Who sees patients for each cluster at the Puskesmas (provider names on encounters).
CLUSTER_PROVIDERS = {"2": "dr. Rina Marlina", "3": "dr. Agus Salim",
                     "4": "Yudi Permana, A.Md.Kes.", "lintas": "dr. Fajar Nugraha"}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


@dataclass(frozen=True)
class DesaStaff:
    """The kader and the Pustu midwife of one desa."""

    kader: Account
    bidan: Account

    @classmethod
    def of(cls, code: str) -> DesaStaff:
        name, index = desa_name(code), desa_index(code)
        return cls(
            kader=Account(f"kader.{slug(name)}", f"Kader {fixed_name(index, 'P')}", "kader"),
            bidan=Account(f"bidan.{slug(name)}",
                          f"Bidan {fixed_name(index + 40, 'P')}, A.Md.Keb.", "pustu"))


def recorder(staff: DesaStaff, setting: str, cluster: str | None,
             clinical: bool = False) -> tuple[str, str]:
    """(created_by username, provider) for a visit in `setting`.

    Kader record Posyandu weighing and questionnaires; the Pustu midwife joins the Posyandu
    for immunization and ANC (`clinical`), and owns Pustu and home visits."""
    if setting == "posyandu" and not clinical:
        return staff.kader.username, staff.kader.display_name
    if setting in {"posyandu", "pustu", "home"}:
        return staff.bidan.username, staff.bidan.display_name
    if setting == "fktp":
        return "fktp", FKTP_NAME
    account = next(a for a in PUSKESMAS_ACCOUNTS if a.cluster == (cluster or "3"))
    return account.username, CLUSTER_PROVIDERS.get(account.cluster, account.display_name)


def demo_users(desa_codes: list[str]) -> list[dict]:
    """Every demo login with its role and area scope; Puskesmas-wide roles get every desa."""
    codes = sorted(desa_codes)
    users = []
    for account in PUSKESMAS_ACCOUNTS:
        # The network clinic sits in the kecamatan town and serves every desa.
        wide = ROLES[account.role].puskesmas_wide or account.role == "fktp"
        users.append(_user(account, codes if wide else [], "semua desa"))
    for code in codes:
        staff = DesaStaff.of(code)
        for account in (staff.kader, staff.bidan):
            users.append(_user(account, [code], desa_name(code)))
    return users


def _user(account: Account, scopes: list[str], area: str) -> dict:
    return {"username": account.username, "password": DEMO_PASSWORD,
            "display_name": account.display_name, "role": account.role,
            "cluster": account.cluster, "scopes": scopes, "desa": area}
