"""A whole Posyandu session captured with no signal, then synced: the kader's day."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import encounters, persons, posyandu_sessions, screenings
from backend.sync.tables import documents
from tests.e2e.conftest import login, shot, wait_synced

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow

EXISTING = 17
NEW_PEOPLE = [("Rara Anjani", "P", "2025-08-17"), ("Bima Anjani", "L", "2024-03-02"),
              ("Sari Anjani", "P", "1996-04-21")]


def register_existing(page: Page, name: str) -> None:
    search = page.get_by_label("Cari nama, NIK atau no. KK")
    search.fill(name)
    row = page.locator(".result", has=page.get_by_text(name, exact=True))
    row.get_by_role("button", name="Daftarkan").first.click()
    expect(row.get_by_text("Terdaftar").first).to_be_visible()


def register_new(page: Page, name: str, sex: str, birth: str, first: bool) -> None:
    page.get_by_role("link", name="Warga baru").click()
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Perempuan" if sex == "P" else "Laki-laki", exact=True).check()
    page.get_by_label("Tanggal lahir", exact=True).fill(birth)
    if first:
        page.get_by_label("Keluarga baru").check()
        page.get_by_label("Nama kepala keluarga").fill("Andi Anjani")
        page.get_by_label("RT", exact=True).fill("5")
        page.get_by_label("RW", exact=True).fill("2")
    else:
        page.get_by_label("Cari keluarga").fill("Andi")
        page.get_by_label(re.compile("^Andi Anjani")).check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Posyandu Melati")).to_be_visible()


def work_queue(page: Page, step: str, fill) -> int:
    """Opens the first person waiting at a table and works through the queue with the form's
    "next" button until the app returns to the (empty) queue; returns how many were served."""
    page.get_by_test_id(f"step-{step}").click()
    waiting = page.locator(f'[data-testid="queue"][data-step="{step}"] a')
    page.locator(f'[data-testid="queue"][data-step="{step}"]').wait_for()
    if not waiting.count():
        return 0
    waiting.first.click()
    served = 0
    while True:
        page.wait_for_url(re.compile(f"/{step}/person:[^/?]+$"))
        person = page.url.rsplit("/", 1)[1]
        # The hash changes at once; the person's screen renders a moment later.
        page.locator(f'[data-testid="form-{step}"][data-person="{person}"]').wait_for()
        before = page.url
        fill(page, served)
        served += 1
        page.wait_for_function("(before) => location.href !== before", arg=before)
        if re.search(f"/{step}$", page.url):
            return served


def measure(page: Page, index: int) -> None:
    page.get_by_label("Berat badan").fill(f"{9 + index % 50},5")
    if page.get_by_label("Panjang/tinggi badan").count():
        page.get_by_label("Panjang/tinggi badan").fill(str(75 + index))
    if page.get_by_label("Tekanan darah sistolik").count():
        page.get_by_label("Tekanan darah sistolik").fill("150")
        page.get_by_label("Tekanan darah diastolik").fill("95")
    if index == 0:
        shot(page, "posyandu-2-ukur")
    page.get_by_role("button", name="Simpan & berikutnya").click()


def record(page: Page, index: int) -> None:
    if index == 0:
        shot(page, "posyandu-3-catat")
    page.get_by_role("button", name="Sudah dicatat & berikutnya").click()


def services(page: Page, index: int) -> None:
    srq = page.get_by_role("link", name="Self Reporting Questionnaire 20 (SRQ-20)")
    if srq.count() and not page.get_by_text("Kemungkinan").count() and index < 6:
        srq.click()
        for item in range(1, 21):
            answer = "Ya" if item <= 7 else "Tidak"
            question = page.locator(f"fieldset:has-text('{item}. ')").first
            question.get_by_label(answer, exact=True).check()
        expect(page.get_by_test_id("screening-result")).to_contain_text("Skor: 7")
        shot(page, "posyandu-4-srq20")
        page.get_by_role("button", name="Simpan ke kunjungan").click()
        expect(page.get_by_role("button", name="Simpan & berikutnya")).to_be_visible()
    immunization = page.locator("input[name=immunizations]")
    if immunization.count():
        immunization.first.check()
    if index == 0:
        shot(page, "posyandu-4-layanan")
    page.get_by_role("button", name="Simpan & berikutnya").click()


def counsel(page: Page, index: int) -> None:
    page.locator("input[name=counselling]").first.check()
    if index == 0:
        shot(page, "posyandu-5-penyuluhan")
    page.get_by_role("button", name="Selesai & berikutnya").click()


def test_posyandu_session_of_20_people_captured_offline_reaches_server(page, context, village,
                                                                       e2e_app):
    login(page, "kader_a")
    context.set_offline(True)
    page.get_by_role("link", name="Posyandu", exact=True).click()
    page.get_by_role("combobox", name="Posyandu").select_option(label="Posyandu Melati")
    page.get_by_role("button", name="Buka sesi").click()
    page.wait_for_url(re.compile(r"#/posyandu/posyandu_session:[^/]+/daftar$"))
    session_id = page.evaluate("location.hash").split("/")[2]

    people = [p for p in village["persons"] if not p["name"].startswith("Mbah")][:EXISTING - 2]
    people += [p for p in village["persons"] if p["name"].startswith("Mbah")][:2]
    for person in people:
        register_existing(page, person["name"])
    for index, (name, sex, birth) in enumerate(NEW_PEOPLE):
        register_new(page, name, sex, birth, first=index == 0)
    expect(page.get_by_test_id("step-daftar")).to_contain_text("20")
    shot(page, "posyandu-1-daftar")

    assert work_queue(page, "ukur", measure) == 20
    assert work_queue(page, "catat", record) == 20
    assert work_queue(page, "layanan", services) == 20
    assert work_queue(page, "penyuluhan", counsel) == 20
    expect(page.get_by_role("heading", name="Posyandu Melati")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("Offline")
    expect(indicator).to_contain_text(re.compile(r"\d+ menunggu"))
    shot(page, "posyandu-offline-waiting")

    context.set_offline(False)
    wait_synced(page)
    expect(indicator).to_have_text("Terbaru")
    with e2e_app.app_context(), read_transaction() as conn:
        visits = conn.execute(sa.select(encounters.c.id, encounters.c.person_id)
                              .where(encounters.c.posyandu_session_id == session_id)).all()
        session = conn.execute(sa.select(posyandu_sessions)
                               .where(posyandu_sessions.c.id == session_id)).one()
        newcomers = conn.execute(sa.select(persons.c.name).where(
            persons.c.name.in_([name for name, _, _ in NEW_PEOPLE]))).scalars().all()
        srq = conn.execute(sa.select(screenings.c.result).where(
            screenings.c.encounter_id.in_([v.id for v in visits]),
            screenings.c.instrument == "srq20")).scalars().all()
    assert len(visits) == 20
    assert len({v.person_id for v in visits}) == 20
    # Attendance is the session's visit documents now; the projection counts only the old
    # array, which new sessions leave empty.
    assert session.attendance_count == 0
    with e2e_app.app_context(), read_transaction() as conn:
        visit_people = {json.loads(body)["person"] if isinstance(body, str) else body["person"]
                        for body in conn.execute(sa.select(documents.c.body).where(
                            documents.c.type == "posyandu_visit",
                            documents.c.body.contains(session_id))).scalars()}
    assert visit_people == {v.person_id for v in visits}
    assert sorted(newcomers) == sorted(name for name, _, _ in NEW_PEOPLE)
    assert srq and set(srq) == {"kemungkinan_masalah"}
