"""Follow-up tasks for the Pustu, from what visits found and from the monthly PWS review
(docs/domain.md §1 service flow: the Puskesmas notifies the Pustu when follow-up is needed).

Older tasks are mostly done; recent ones open or in progress; a tenth of the old ones stay
open past their due date, which is what the overdue list is for. A done task leaves a home
visit encounter behind.
"""

from __future__ import annotations

import datetime as dt

from backend.demo.common import chance, head
from backend.demo.immunization import overdue
from backend.demo.model import Finding
from backend.demo.staff import recorder
from backend.demo.village import Village
from backend.demo.vitals import body

# kind -> (share of findings that become a task, days until due, outcome when done)
_KINDS = {
    "gizi": (0.8, 7, "Kunjungan rumah: konseling PMBA, PMT lokal diberikan, timbang ulang "
                     "bulan depan"),
    "jiwa": (0.7, 14, "Kunjungan rumah: konseling, dirujuk ke poli jiwa Puskesmas"),
    "lansia": (0.5, 14, "Kunjungan rumah: keluarga diedukasi perawatan lansia"),
    "tb": (1.0, 14, "Kontak serumah diskrining, tidak ada terduga TBC baru"),
    "dbd": (1.0, 1, "PE selesai: ABJ 85 %, PSN dan penyuluhan 3M Plus"),
    "kontrol": (0.5, 21, "Kunjungan rumah: tekanan darah diukur, obat diambil ke Pustu"),
    "anc": (0.9, 21, "Kunjungan rumah: ibu hamil dijadwalkan ANC di Posyandu"),
    "kejar": (0.6, 28, "Imunisasi kejar dijadwalkan pada Posyandu bulan depan"),
}
_OLD = (("done", 78), ("cancelled", 5), ("open", 12), ("in_progress", 5))
_RECENT = (("open", 55), ("in_progress", 25), ("done", 20))


def histories(village: Village) -> None:
    """Tasks from the findings gathered by the other histories (so it runs last)."""
    _immunization_review(village)
    for finding in village.findings:
        share, _days, _outcome = _KINDS[finding.kind]
        if chance(village.rng, share) and finding.day <= village.today:
            _task(village, finding)


def _immunization_review(village: Village) -> None:
    """Children under two whose doses are past their ideal age (PWS imunisasi)."""
    review = village.today.replace(day=1)
    for child in village.members():
        if not 60 <= (village.today - child.birth).days < 730:
            continue
        late = overdue(child.birth, village.today, child.health.vaccines)
        if late:
            names = ", ".join(f"{d.vaccine} {d.dose}" for d in late[:4])
            village.find(child, review, f"Imunisasi kejar: {names}", "pws", "2", "kejar")


def _task(village: Village, finding: Finding) -> None:
    rng, today = village.rng, village.today
    _share, days, outcome = _KINDS[finding.kind]
    created = finding.day
    by, _provider = recorder(village.staff, "puskesmas", finding.cluster)
    names, weights = zip(*(_OLD if (today - created).days > 30 else _RECENT), strict=True)
    status = rng.choices(names, weights)[0]
    doc = {**head(rng, "task", village.desa.code, created, by), "person": finding.person.id,
           "reason": finding.reason, "due_date": (created + dt.timedelta(days=days)).isoformat(),
           "status": status, "assigned_place": village.desa.pustu_id, "source": finding.source}
    if status != "open":
        _progress(village, finding, doc, outcome)
    village.docs.append(doc)


def _progress(village: Village, finding: Finding, doc: dict, outcome: str) -> None:
    """The Pustu's edits: started, done (with a home visit) or cancelled."""
    rng, today = village.rng, village.today
    span = max(0, min(21, (today - finding.day).days))
    day = finding.day + dt.timedelta(days=rng.randint(min(1, span), span))
    moment, by = village.stamp(day), village.staff.bidan.username
    doc.update(updated_at=moment, updated_by=by, field_ts={"status": moment})
    if doc["status"] == "done":
        doc.update(outcome=outcome, done_at=moment)
        doc["field_ts"].update(outcome=moment, done_at=moment)
        measured = body(rng, finding.person, treated=True) if finding.kind == "kontrol" else None
        village.visit(finding.person, day, "home", finding.cluster, measurements=measured,
                      notes=f"{finding.reason}. {outcome}")
    elif doc["status"] == "cancelled":
        doc["outcome"] = "Dibatalkan: pindah domisili atau sudah dilayani di fasilitas lain"
        doc["field_ts"]["outcome"] = moment
