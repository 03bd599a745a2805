"""Follow-up tasks for the Pustu from the monthly PWS review and the programmes (docs/domain.md
§1 service flow: the Puskesmas notifies the Pustu when follow-up is needed): catch-up
immunization, missed hypertension controls, pregnant women not seen, TB contact screening,
dengue investigation (PE).

A task for a *finding* of a visit (high blood pressure, SRQ-20, SKILAS, gizi kurang, a
referral) is not written here: the server derives it from the encounter when the seed stores
it (config/ilp/followup.json), exactly as for a tablet's record; `followup.py` then closes the
old ones as a Pustu would have.

What happened to a task depends on its due date: a month past, mostly done (a few still open:
what the overdue list is for); just past, about half done; still ahead, mostly open or in
progress. A done task leaves a home visit encounter behind.
"""

from __future__ import annotations

import datetime as dt

from backend.demo.common import add_months, chance, head
from backend.demo.immunization import overdue
from backend.demo.model import Finding
from backend.demo.staff import recorder
from backend.demo.village import Village
from backend.demo.vitals import body

# kind -> (share of findings that become a task, days until due (None: the PWS review's
# month end), outcome when done)
_KINDS = {
    "tb": (1.0, 14, "Kontak serumah diskrining, tidak ada terduga TBC baru"),
    "dbd": (1.0, 1, "PE selesai: ABJ 85 %, PSN dan penyuluhan 3M Plus"),
    "kontrol": (0.5, None, "Kunjungan rumah: tekanan darah diukur, obat diambil ke Pustu"),
    "anc": (0.9, None, "Kunjungan rumah: ibu hamil dijadwalkan ANC di Posyandu"),
    "kejar": (0.6, None, "Imunisasi kejar dijadwalkan pada Posyandu bulan depan"),
}
# Status by how far the due date lies behind today: > 30 days, 1-30 days, today or ahead.
_LONG_PAST = (("done", 85), ("cancelled", 5), ("open", 7), ("in_progress", 3))
_JUST_PAST = (("done", 45), ("open", 30), ("in_progress", 25))
_AHEAD = (("open", 60), ("in_progress", 25), ("done", 15))


def histories(village: Village) -> None:
    """Tasks from the findings gathered by the other histories (so it runs last)."""
    _immunization_review(village)
    for finding in village.findings:
        share, _days, _outcome = _KINDS[finding.kind]
        if chance(village.rng, share) and finding.day <= village.today:
            _task(village, finding)


def _immunization_review(village: Village) -> None:
    """Children under two whose doses are past their ideal age (PWS imunisasi), at last
    month's review and this month's; a child flagged last month is already being followed."""
    this_month = village.today.replace(day=1)
    flagged: set[str] = set()
    for review in (add_months(this_month, -1), this_month):
        for child in village.members():
            if child.id in flagged or not 60 <= (review - child.birth).days < 730:
                continue
            given = {key: day for key, day in child.health.vaccines.items() if day < review}
            late = overdue(child.birth, review, given)
            if late:
                flagged.add(child.id)
                names = ", ".join(f"{d.vaccine} {d.dose}" for d in late[:4])
                village.find(child, review, f"Imunisasi kejar: {names}", "pws:idl", "2",
                            "kejar")


def _task(village: Village, finding: Finding) -> None:
    rng, today = village.rng, village.today
    _share, days, outcome = _KINDS[finding.kind]
    created = finding.day
    by, _provider = recorder(village.staff, "puskesmas", finding.cluster)
    # The monthly PWS review asks for its follow-ups within the month; the others have their
    # own delay (TB contacts in two weeks, dengue investigation the next day).
    due = _month_end(created) if days is None else created + dt.timedelta(days=days)
    late = (today - due).days
    names, weights = zip(*(_LONG_PAST if late > 30 else _JUST_PAST if late > 0 else _AHEAD),
                         strict=True)
    status = rng.choices(names, weights)[0]
    doc = {**head(rng, "task", village.desa.code, created, by), "person": finding.person.id,
           "reason": finding.reason, "due_date": due.isoformat(),
           "status": status, "assigned_place": village.desa.pustu_id, "source": _source(finding)}
    if status != "open":
        _progress(village, finding, doc, outcome)
    village.docs.append(doc)


def _source(finding: Finding) -> str:
    """A PWS review's follow-up carries `pws:<indicator>:<YYYY-MM>` as the server's own PWS
    follow-up does (backend/pws/followup.py): the PWA shows "Dari PWS <month>", never a code."""
    if finding.source.startswith("pws:"):
        return f"{finding.source}:{finding.day:%Y-%m}"
    return finding.source


def _month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


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
