"""The printable report `flask seed-demo` shows: documents per type and the demo logins."""

from __future__ import annotations

from collections import Counter

from backend.auth.roles import ROLES
from backend.demo.places import KABUPATEN_NAME, KECAMATAN_CODE, PUSKESMAS_NAME
from backend.demo.staff import DEMO_PASSWORD

TYPE_LABELS = {
    "place": "tempat (Puskesmas, desa, Pustu, Posyandu)",
    "household": "keluarga",
    "person": "penduduk",
    "pregnancy": "kehamilan",
    "posyandu_session": "hari buka Posyandu",
    "encounter": "kunjungan",
    "task": "tugas tindak lanjut",
}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")   # Indonesian thousands separator


def report(docs: list[dict], users: list[dict], *, seed: int, scale: float, first: str,
           last: str, seconds: float) -> str:
    counts = Counter(doc["type"] for doc in docs)
    desa = sum(1 for d in docs if d["type"] == "place" and d["kind"] == "desa")
    lines = [f"Data demo Siklus dimuat: {PUSKESMAS_NAME} ({KECAMATAN_CODE}), {KABUPATEN_NAME}",
             f"{desa} desa, seed {seed}, skala {scale:g}, kunjungan {first} s.d. {last}, "
             f"waktu {seconds:.1f} detik.", "", f"{'Dokumen':<52}{'jumlah':>8}"]
    for doc_type, label in TYPE_LABELS.items():
        lines.append(f"  {doc_type + ' - ' + label:<50}{_number(counts[doc_type]):>8}")
    lines += [f"  {'total':<50}{_number(len(docs)):>8}", "",
              f"Login demo (kata sandi semua akun: {DEMO_PASSWORD} - HANYA untuk demo):",
              f"  {'username':<24}{'peran':<20}{'klaster':<9}desa"]
    for user in users:
        role = ROLES[user["role"]].label
        lines.append(f"  {user['username']:<24}{role:<20}{user['cluster'] or '-':<9}"
                     f"{user['desa']}")
    return "\n".join(lines)
