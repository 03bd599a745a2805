"""Admin screens in a real browser: Pengguna (create, change, reset password, deactivate),
Tempat (desa, Pustu, Posyandu with its monthly day) and the Jejak audit for admin and kapus.

Tempat and Jejak audit are written against the contract of `POST/PATCH /api/v1/places` and
`GET /api/v1/audit` (issue 10); they need those endpoints on the server to pass.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.auth.tables import users
from backend.db import read_transaction
from backend.projections.tables import places
from tests.conftest import Login
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.slow

WIDTHS = {"phone": 360, "desk": 1280, "wide": 1440}


def server_rows(app, statement):
    with app.app_context(), read_transaction() as conn:
        return conn.execute(statement).all()


def shots_at_widths(page: Page, name: str) -> None:
    """The screen at a phone's, a desk's and a wide monitor's width, for a person to look at."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 800})


def can_log_in(app, username: str, password: str) -> bool:
    response = app.test_client().post("/api/v1/auth/login",
                                      json={"username": username, "password": password})
    return response.status_code == 200


def test_admin_creates_changes_resets_and_deactivates_a_user(page, e2e_app):
    login(page, "admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    table = page.get_by_test_id("user-table")
    expect(table).to_contain_text("Kader A")
    expect(table).to_contain_text("Kader Posyandu")
    shots_at_widths(page, "admin-users")

    page.get_by_role("link", name="Tambah pengguna").click()
    form = page.get_by_test_id("user-form")
    form.get_by_label("Nama pengguna").fill("bidan.cibodas")
    form.get_by_role("textbox", name="Nama", exact=True).fill("Bidan Cibodas")
    form.get_by_label("Peran").select_option(label="Petugas Pustu")
    expect(form.get_by_label("Klaster")).to_be_hidden()  # only klaster users have one
    form.get_by_label("Cikalong").check()
    form.get_by_label("Kata sandi awal").fill("pendek")
    form.get_by_role("button", name="Buat akun").click()
    expect(form.get_by_text("Kata sandi minimal 8 karakter.").first).to_be_visible()
    form.get_by_label("Kata sandi awal").fill("sandi-awal-123")
    form.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("status")).to_have_text("Akun dibuat.")
    [row] = server_rows(e2e_app, sa.select(users.c.role, users.c.display_name)
                        .where(users.c.username == "bidan.cibodas"))
    assert (row.role, row.display_name) == ("pustu", "Bidan Cibodas")

    profile = page.get_by_test_id("user-form")
    profile.get_by_label("Peran").select_option(label="Petugas Klaster")
    profile.get_by_role("button", name="Simpan").click()
    expect(profile.get_by_text("Pilih klaster untuk Petugas Klaster.").first).to_be_visible()
    profile.get_by_label("Klaster").select_option(label="Klaster 2 (ibu dan anak)")
    profile.get_by_label("Mekarjaya").check()
    profile.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_have_text("Perubahan tersimpan.")
    subject = page.get_by_role("heading", name=re.compile("Bidan Cibodas"))
    expect(subject).to_contain_text("Klaster 2")
    shots_at_widths(page, "admin-user-edit")

    password = page.get_by_test_id("password-form")
    password.get_by_label("Kata sandi baru").fill("sandi-baru-456")
    password.get_by_role("button", name="Atur ulang kata sandi").click()
    expect(page.get_by_role("status")).to_have_text("Kata sandi baru tersimpan.")
    assert can_log_in(e2e_app, "bidan.cibodas", "sandi-baru-456")
    assert not can_log_in(e2e_app, "bidan.cibodas", "sandi-awal-123")

    page.get_by_test_id("status-form").get_by_role("button", name="Nonaktifkan akun").click()
    page.get_by_role("dialog").get_by_role("button", name="Nonaktifkan akun").click()
    expect(page.get_by_role("status")).to_have_text("Akun dinonaktifkan.")
    assert not can_log_in(e2e_app, "bidan.cibodas", "sandi-baru-456")
    page.get_by_test_id("status-form").get_by_role("button", name="Aktifkan kembali").click()
    page.get_by_role("dialog").get_by_role("button", name="Aktifkan kembali").click()
    expect(page.get_by_role("status")).to_have_text("Akun diaktifkan kembali.")
    assert can_log_in(e2e_app, "bidan.cibodas", "sandi-baru-456")


def test_a_taken_username_is_named_under_its_field(page):
    login(page, "admin")
    page.goto("/#/admin/users/new")
    form = page.get_by_test_id("user-form")
    form.get_by_label("Nama pengguna").fill("kader_a")
    form.get_by_role("textbox", name="Nama", exact=True).fill("Kader Kedua")
    form.get_by_label("Peran").select_option(label="Kader Posyandu")
    form.get_by_label("Cikalong").check()
    form.get_by_label("Kata sandi awal").fill("sandi-awal-123")
    form.get_by_role("button", name="Buat akun").click()
    error = form.locator('[data-error-for="username"]')
    expect(error).to_have_text("Nama pengguna ini sudah dipakai. Pilih yang lain.")
    expect(form.get_by_label("Nama pengguna")).to_have_attribute("aria-invalid", "true")
    shots_at_widths(page, "admin-user-taken")


def test_one_cannot_deactivate_oneself(page):
    login(page, "admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_test_id("user-table").locator('tr[data-username="admin"]').get_by_role("link").click()
    expect(page.get_by_text("Anda tidak bisa menonaktifkan akun Anda sendiri.")).to_be_visible()
    expect(page.get_by_role("button", name="Nonaktifkan akun")).to_be_disabled()


def test_admin_screens_need_a_connection(page, context):
    login(page, "admin")
    context.set_offline(True)
    page.goto("/#/admin/users")
    expect(page.get_by_test_id("admin-users")).to_have_text(re.compile("perlu koneksi internet"))
    context.set_offline(False)


def test_roles_without_admin_see_no_admin_screens(page):
    login(page, "pustu_a")
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Jejak audit")).to_have_count(0)
    page.goto("/#/admin/users")
    expect(page.get_by_text("Peran Anda tidak boleh membuka atau mengubah ini.")).to_be_visible()


def test_admin_adds_and_edits_a_posyandu_with_its_monthly_day(page, e2e_app):
    """Needs POST /api/v1/places and GET/PATCH /api/v1/places/<id> (issue 10, h4)."""
    login(page, "admin")
    page.goto("/#/admin/places")
    expect(page.get_by_test_id("places-desa")).to_contain_text("Cikalong")
    expect(page.get_by_test_id("places-posyandu")).to_contain_text("Posyandu Melati")
    page.get_by_role("link", name="Tambah tempat").click()
    form = page.get_by_test_id("place-form")
    form.get_by_label("Jenis tempat").select_option(label="Posyandu")
    form.get_by_role("textbox", name="Nama", exact=True).fill("Posyandu Anggrek")
    form.get_by_role("combobox", name="Desa", exact=True).select_option(label="Cikalong")
    form.get_by_label("Hari Posyandu").fill("31")
    form.get_by_role("button", name="Simpan tempat").click()
    expect(form.get_by_text("Isi tanggal 1 sampai 28.").first).to_be_visible()
    form.get_by_label("Hari Posyandu").fill("15")
    form.get_by_label("Dusun").fill("Dusun Kaler")
    shots_at_widths(page, "admin-place-new")
    form.get_by_role("button", name="Simpan tempat").click()
    expect(page.get_by_role("status")).to_have_text("Tersimpan: Posyandu Anggrek.")
    row = page.get_by_test_id("places-posyandu").locator('tr[data-place="Posyandu Anggrek"]')
    expect(row).to_contain_text("Tanggal 15 tiap bulan")
    expect(row).to_contain_text("Dusun Kaler")
    shots_at_widths(page, "admin-places")

    row.get_by_role("link", name="Ubah").click()
    form = page.get_by_test_id("place-form")
    form.get_by_label("Hari Posyandu").fill("20")
    form.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status")).to_have_text("Tersimpan: Posyandu Anggrek.")
    [saved] = server_rows(e2e_app, sa.select(places.c.schedule_day, places.c.desa)
                          .where(places.c.name == "Posyandu Anggrek"))
    assert (saved.schedule_day, saved.desa) == (20, "3204190001")


def test_kapus_reads_the_audit_trail_in_words(page, e2e_app):
    """Needs GET /api/v1/audit and audit rows for account changes (issue 10, h3/h4)."""
    created = Login(e2e_app, "admin").post("/api/v1/users", json={
        "username": "kader.audit", "display_name": "Kader Audit", "role": "kader",
        "scopes": ["3204190001"], "password": "sandi-awal-123"})
    assert created.status_code == 201, created.json

    login(page, "kapus")
    page.get_by_role("link", name="Jejak audit").click()
    trail = page.get_by_test_id("audit-table")
    expect(trail).to_contain_text("Membuat akun staf")
    expect(trail).not_to_contain_text("user.create")
    expect(trail).not_to_contain_text("person:")
    page.get_by_label("Tindakan", exact=True).select_option(label="Membuat akun staf")
    page.get_by_role("button", name="Terapkan").click()
    first = page.get_by_test_id("audit-table").locator("tbody tr").first
    expect(first).to_contain_text("Membuat akun staf")
    shots_at_widths(page, "admin-audit")
