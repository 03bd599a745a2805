"""The demo Puskesmas's service flow set up as its Kepala Puskesmas would (docs/demo.md
"Service flow"): the default service points of config/ilp/organisation.json, every klaster and
kapus login placed in a cluster as PJ or anggota with competencies of Juknis ILP Tabel 1, and
today's duty. The UGD is left uncovered on purpose (its doctor is away), so the duty screen
shows who can cover it.

Written through backend/flow/organisation.py and duty.py with the demo kapus as the actor, so the
rules and audit rows are the ones a real Puskesmas gets.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backend.auth.users import get_user
from backend.flow import duty, organisation

# username: (cluster, position, competencies)
ASSIGNMENTS = {
    "klaster1": ("1", "pj", ["manajemen_data", "manajemen_program", "koordinasi_mutu",
                             "manajemen_sumber_daya"]),
    "loket": ("1", "anggota", ["manajemen_data"]),
    "klaster2": ("2", "pj", ["anc", "mtbs", "imunisasi", "sdidtk", "pengobatan_umum",
                             "skrining_jiwa", "gadar_matneo", "kap"]),
    "klaster3": ("3", "pj", ["pengobatan_umum", "skrining_ptm", "skrining_menular",
                             "skrining_geriatri", "skrining_jiwa", "kb", "kegawatdaruratan"]),
    "klaster4": ("4", "pj", ["surveilans", "penemuan_kasus", "penyelidikan_epidemiologi",
                             "pengendalian_vektor", "kesehatan_lingkungan", "kap"]),
    "lintasklaster": ("lintas", "pj", ["kegawatdaruratan", "rawat_inap", "pengobatan_umum"]),
    "analis": ("lintas", "anggota", ["laboratorium"]),
    "apoteker": ("lintas", "anggota", ["kefarmasian"]),
    # The Kepala Puskesmas is a doctor who still sees patients in Klaster 3 on busy days.
    "kapus": ("3", "anggota", ["pengobatan_umum", "kegawatdaruratan", "manajemen_program"]),
}

# service point id: usernames on duty today; "ugd" has nobody (dr. Fajar is at a training).
DUTY = {"loket": ["loket"], "k2": ["klaster2"], "k3": ["klaster3"], "k4": ["klaster4"],
        "ugd": [], "lab": ["analis"], "farmasi": ["apoteker"]}


def set_up(conn: sa.Connection, config: dict, day: dt.date) -> str:
    """Create the points, assignments and `day`'s duty; returns a line for the seed report."""
    found = get_user(conn, username="kapus")
    if found is None:
        raise RuntimeError("the demo kapus must exist before the flow is set up")
    kapus = found[0]
    points = organisation.add_default_points(conn, kapus, config)
    for username, (cluster, position, competencies) in ASSIGNMENTS.items():
        organisation.assign(conn, kapus, username, {
            "cluster": cluster, "position": position, "competencies": competencies}, config)
    uncovered = []
    for point_id, usernames in DUTY.items():
        entry = duty.set_duty(conn, kapus, day.isoformat(), point_id, usernames, config)
        if entry["uncovered"]:
            uncovered.append(entry["service_point"]["label"])
    return (f"Layanan Puskesmas: {len(points)} tempat layanan, {len(ASSIGNMENTS)} petugas "
            f"ditempatkan di klaster, tugas hari {day.isoformat()}; belum ada petugas: "
            f"{', '.join(uncovered) or '-'}.")
