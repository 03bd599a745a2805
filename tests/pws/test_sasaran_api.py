"""Sasaran over HTTP and the CLI: upload all or nothing, replace semantics, the audit row, the
size limit (a 50 MB upload refused unread), and the scope matrix of the three endpoints."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from backend.audit.tables import audit_log
from backend.db import read_transaction
from backend.pws.tables import sasaran
from tests import factories as f

URL = "/api/v1/pws/sasaran"
A, B = f.DESA_A, f.DESA_B


def upload(session, text: str | bytes, name: str = "sasaran.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return session.post(URL, data={"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def table() -> dict[tuple[str, int, str], tuple[int, str]]:
    with read_transaction() as conn:
        rows = conn.execute(sa.select(sasaran)).all()
    return {(r.desa, r.year, r.target_group): (r.value, r.source_file) for r in rows}


def imports() -> list[dict]:
    with read_transaction() as conn:
        rows = conn.execute(sa.select(audit_log).where(audit_log.c.action == "sasaran.import"))
        return [dict(r._mapping) for r in rows]


FIRST = f"kode_desa;nama_desa;tahun;bumil;bayi\n{A};Cikalong;2026;45;40\n{B};Mekarjaya;2026;30;\n"


def test_a_good_file_is_stored_with_who_when_and_which_file(login):
    kapus = login("kapus")
    response = upload(kapus, FIRST, "proyeksi 2026.csv")
    assert response.status_code == 201, response.json
    assert response.json == {"rows": 2, "figures": 3, "years": [2026],
                             "groups": ["bayi", "bumil"], "desa": [A, B]}
    with read_transaction() as conn:
        row = conn.execute(sa.select(sasaran).where(sasaran.c.desa == A,
                                                    sasaran.c.target_group == "bumil")).one()
    assert (row.value, row.imported_by, row.source_file) == (45, "kapus", "proyeksi 2026.csv")
    assert row.imported_at.endswith("Z")
    [audit] = imports()
    assert (audit["actor"], audit["target_id"]) == ("kapus", "proyeksi 2026.csv")


def test_only_the_file_name_of_a_client_path_is_kept(login):
    assert upload(login("kapus"), FIRST, "/home/dinkes/sasaran 2026.csv").status_code == 201
    assert {source for _, source in table().values()} == {"sasaran 2026.csv"}


def test_a_second_file_replaces_what_it_names_and_leaves_the_rest(login):
    admin = login("admin")
    assert upload(admin, FIRST, "one.csv").status_code == 201
    second = f"kode_desa,tahun,bumil,bayi\n{A},2026,50,\n{B},2026,,20\n{B},2025,28,\n"
    assert upload(admin, second, "two.csv").status_code == 201
    assert table() == {
        (A, 2026, "bumil"): (50, "two.csv"),    # replaced
        (A, 2026, "bayi"): (40, "one.csv"),     # an empty cell left it
        (B, 2026, "bumil"): (30, "one.csv"),
        (B, 2026, "bayi"): (20, "two.csv"),
        (B, 2025, "bumil"): (28, "two.csv"),
    }
    assert len(imports()) == 2


def test_one_bad_row_keeps_the_whole_file_out(login):
    kapus = login("kapus")
    assert upload(kapus, FIRST, "one.csv").status_code == 201
    before, audits = table(), len(imports())
    bad = f"kode_desa;tahun;bumil\n{A};2026;99\n{B};2026;-1\n3299999999;2026;5\n"
    response = upload(kapus, bad)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["errors"] == [
        {"line": 3, "reason": "bumil: angka negatif ('-1')"},
        {"line": 4, "reason": "kode desa tidak dikenal: '3299999999'"}]
    assert "tidak ada yang disimpan" in response.json["detail"]
    assert table() == before and len(imports()) == audits


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "berkas kosong"),
    ("kode_desa;tahun;bumil\n3204190001;2026;4\n".encode("utf-16"), "enkode UTF-16, bukan UTF-8"),
    (b"kode_desa;bumil\n3204190001;4\n", "kolom wajib tidak ada: tahun"),
])
def test_malformed_files_are_422_problems(login, body, reason):
    response = upload(login("admin"), body)
    assert response.status_code == 422
    assert reason in [e["reason"] for e in response.json["errors"]]
    assert table() == {}


def test_a_request_without_a_file_part_is_422(login):
    response = login("kapus").post(URL, data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.json["errors"] == [{"line": 0, "reason": "tidak ada berkas"}]


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts what the server reads of it (seekable only
    so that the test client can measure it)."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position,
                         io.SEEK_END: self.size}[whence] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"x" * n
        self.position += n
        self.read_bytes += n
        return n


def test_a_50_mb_upload_is_refused_before_it_is_read(login):
    kapus = login("kapus")
    size = 50 * 1024 * 1024
    stream = CountingStream(size)
    response = kapus.client.post(
        URL, input_stream=stream, headers={**kapus.headers, "Content-Length": str(size)},
        content_type="multipart/form-data; boundary=xyz")
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.json["errors"] == [{"line": 0, "reason": "berkas terlalu besar"}]
    assert stream.read_bytes < 1024 * 1024
    assert table() == {} and imports() == []


def test_a_file_over_the_setting_is_refused_even_when_the_body_is_small(app, login):
    app.config["SASARAN_MAX_BYTES"] = 100
    response = upload(login("admin"), FIRST + f"{A};Cikalong;2025;1;1\n" * 5)
    assert response.status_code == 413
    assert response.json["errors"] == [{"line": 0, "reason": "berkas terlalu besar"}]
    assert table() == {}


POST_STATUS = {"kapus": 201, "admin": 201, "klaster2": 403, "pustu_a": 403, "pustu_b": 403,
               "dinkes": 403, "fktp_a": 403, "kader_a": 403}
# who sees which desa in GET /sasaran and the template; None: 403
READ_SCOPE = {"kapus": {A, B}, "admin": {A, B}, "klaster2": {A, B}, "pustu_a": {A},
              "pustu_b": {B}, "dinkes": {A, B}, "fktp_a": None, "kader_a": None}


@pytest.mark.parametrize("username", sorted(POST_STATUS))
def test_scope_matrix_of_the_upload(login, username):
    response = upload(login(username), FIRST)
    assert response.status_code == POST_STATUS[username], response.json
    assert bool(table()) == (response.status_code == 201)


@pytest.mark.parametrize("username", sorted(READ_SCOPE))
def test_scope_matrix_of_the_list_and_the_template(login, username):
    assert upload(login("admin"), FIRST).status_code == 201
    session, expected = login(username), READ_SCOPE[username]
    listed = session.get(f"{URL}?year=2026")
    filled = session.get(f"{URL}/template?year=2026")
    if expected is None:
        assert (listed.status_code, filled.status_code) == (403, 403)
        return
    assert listed.status_code == 200 and filled.status_code == 200
    assert {row["desa"] for row in listed.json} == expected
    lines = filled.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert {line.split(";")[0] for line in lines[1:]} == expected


def test_anonymous_callers_get_401(client, world):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/template").status_code == 401
    assert upload(client, FIRST).status_code in (401, 403)   # no session: login, or CSRF first


def test_the_list_says_which_figures_are_official(login):
    assert upload(login("kapus"), FIRST, "one.csv").status_code == 201
    rows = {(r["desa"], r["group"]): r for r in login("pustu_b").get(f"{URL}?year=2026").json}
    assert rows[(B, "bumil")] | {"imported_at": None} == {
        "desa": B, "desa_name": "Mekarjaya", "year": 2026, "group": "bumil",
        "group_label": "Ibu hamil", "value": 30, "source": "resmi", "imported_at": None,
        "imported_by": "kapus", "source_file": "one.csv", "denominator": 30,
        "denominator_source": "resmi"}
    assert rows[(B, "bayi")]["value"] is None and rows[(B, "bayi")]["source"] is None
    assert rows[(B, "bayi")]["denominator_source"] == "terdaftar"


def test_the_list_shows_the_convention_an_official_figure_implies(login):
    text = f"kode_desa;tahun;penduduk\n{A};2026;4000\n"
    assert upload(login("admin"), text).status_code == 201
    rows = {r["group"]: r for r in login("kapus").get(f"{URL}?year=2026").json if r["desa"] == A}
    assert rows["lahir_hidup"]["denominator_source"] == "konvensi"
    assert rows["lahir_hidup"]["denominator"] == 66    # 4000 × CBR 0.0165 (pws.json)
    assert rows["lahir_hidup"]["value"] is None


def test_the_template_is_prefilled_and_a_year_too_far_ahead_is_422(login):
    kapus = login("kapus")
    assert upload(kapus, FIRST).status_code == 201
    text = kapus.get(f"{URL}/template?year=2026").get_data(as_text=True)
    # columns: kode_desa;nama_desa;tahun;penduduk;lahir_hidup;bumil;bulin;bayi;…
    assert f"\r\n{A};Cikalong;2026;;;45;;40;" in text
    assert kapus.get(f"{URL}/template?year=2999").status_code == 422
    assert kapus.get(f"{URL}?year=abc").status_code == 422


def test_the_cli_prints_each_error_on_its_line_and_exits_1(runner, world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"kode_desa;tahun;bumil\n{A};2026;x\n{B};2026;4,5\n", encoding="utf-8")
    result = runner.invoke(args=["import-sasaran", str(bad)])
    assert result.exit_code == 1
    assert "baris 2: bumil: bukan angka ('x')" in result.output
    assert "baris 3: bumil: bukan bilangan bulat" in result.output
    assert table() == {}
    good = tmp_path / "good.csv"
    good.write_text(FIRST, encoding="utf-8")
    result = runner.invoke(args=["import-sasaran", str(good), "--by", "dinkes-kab"])
    assert result.exit_code == 0, result.output
    assert table()[(A, 2026, "bumil")] == (45, "good.csv")
    assert imports()[0]["detail"].count("dinkes-kab") == 1


def test_the_cli_refuses_a_file_over_the_setting_without_reading_it(app, runner, world,
                                                                    tmp_path):
    app.config["SASARAN_MAX_BYTES"] = 50
    big = tmp_path / "big.csv"
    big.write_text(FIRST, encoding="utf-8")
    result = runner.invoke(args=["import-sasaran", str(big)])
    assert result.exit_code == 1
    assert "terlalu besar" in result.output
    assert table() == {} and imports() == []
