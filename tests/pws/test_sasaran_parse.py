"""The sasaran CSV rules, without a database: every error kind with its line, the accepted
spellings (BOM, `;`, labels as headers), and that one bad row refuses the whole file."""

from __future__ import annotations

import pytest

from backend.pws.catalogue import catalogue
from backend.pws.sasaran import Figure, SasaranError, parse, template

A, B = "3204190001", "3204190002"
GROUPS = catalogue().groups
YEAR = 2026


def run(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse(data, {A, B}, GROUPS, YEAR)


def errors(text: str | bytes) -> list[tuple[int, str]]:
    with pytest.raises(SasaranError) as caught:
        run(text)
    return caught.value.errors


def test_a_comma_file_gives_one_figure_per_filled_cell():
    figures, rows = run("kode_desa,nama_desa,tahun,bumil,bayi\n"
                        f"{A},Cikalong,2026,45,40\n"
                        f"{B},Mekarjaya,2026,,38\n")
    assert rows == 2
    assert figures == [Figure(A, 2026, "bumil", 45), Figure(A, 2026, "bayi", 40),
                       Figure(B, 2026, "bayi", 38)]   # the empty cell names no figure


def test_excel_indonesian_semicolons_bom_crlf_and_labels_as_headers():
    text = ("\ufeffKode Desa;Nama Desa;Tahun;IBU HAMIL;Bayi lahir hidup;balita 0-59 bulan\r\n"
            f"{A};Cikalong;2026;45;41;300\r\n"
            ";;;;;\r\n")   # a row of empty cells, as Excel leaves below the data
    figures, rows = run(text)
    assert rows == 1
    assert {(f.group, f.value) for f in figures} == {
        ("bumil", 45), ("lahir_hidup", 41), ("balita", 300)}


def test_every_bad_row_is_reported_with_its_line_and_reason():
    text = ("kode_desa;tahun;bumil;bayi\n"          # line 1
            f"{A};2026;45;40\n"                      # 2 good
            "9999999999;2026;1;1\n"                  # 3 unknown desa
            f"{B};2026;empat;1\n"                    # 4 not a number
            "\n"                                     # 5 blank: skipped, still counted
            f"{B};2025;-3;1\n"                       # 6 negative
            f"{B};2024;12,5;1\n"                     # 7 decimal
            f"{A};2026;1;1\n"                        # 8 duplicate of line 2
            f"{B};1890;1;1\n"                        # 9 implausible year
            f"{B};2023;1.234;1\n")                   # 10 thousands separator
    found = errors(text)
    lines = [line for line, _ in found]
    assert lines == [3, 4, 6, 7, 8, 9, 10]
    reasons = dict(found)
    assert "kode desa tidak dikenal" in reasons[3]
    assert "bukan angka" in reasons[4]
    assert "negatif" in reasons[6]
    assert "bukan bilangan bulat" in reasons[7]
    assert "sudah ada di baris 2" in reasons[8]
    assert "tahun tidak valid" in reasons[9]
    assert "bukan bilangan bulat" in reasons[10]


def test_a_desa_code_excel_turned_into_scientific_notation_says_how_to_fix_it():
    [(line, reason)] = errors("kode_desa;tahun;bumil\n3,20419E+09;2026;4\n")
    assert line == 2 and "angka ilmiah" in reason and "Teks" in reason


def test_header_errors_unknown_column_and_missing_required_columns():
    found = errors("kode_desa;bumil;ibu menyusui\n3204190001;4;5\n")
    assert (1, "kolom wajib tidak ada: tahun") in found
    assert any(line == 1 and "tidak dikenal" in r and "ibu menyusui" in r for line, r in found)
    found = errors("nama_desa;tahun;bumil\nCikalong;2026;4\n")
    assert (1, "kolom wajib tidak ada: kode_desa") in found
    found = errors("kode_desa;tahun;nama_desa\n3204190001;2026;Cikalong\n")
    assert found[0][0] == 1 and "kelompok sasaran" in found[0][1]


def test_a_group_named_twice_by_key_and_label_is_refused():
    found = errors("kode_desa;tahun;bumil;Ibu hamil\n3204190001;2026;4;5\n")
    assert found[0][0] == 1 and "sama dengan" in found[0][1]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "berkas kosong"),
    (b"  \r\n\r\n", "berkas kosong"),
    (b"kode_desa;tahun;bumil\n", "tidak ada baris data"),
    ("kode_desa;tahun;bumil\nCikal\u00f3ng;2026;4\n".encode("cp1252"), "bukan UTF-8"),
    ("kode_desa;tahun;bumil\n".encode("utf-16"), "UTF-16"),
    (b"PK\x03\x04\x14\x00\x06\x00", "XLSX"),
    (b"kode_desa;tahun\x00;bumil\n", "biner"),
])
def test_file_level_errors_are_clear(data, reason):
    assert reason in " ".join(r for _, r in errors(data))


def test_wrong_encoding_names_the_line_of_the_first_bad_byte():
    data = "kode_desa;nama_desa;tahun;bumil\n3204190001;S\u00e9kar;2026;4\n".encode("latin-1")
    assert errors(data) == [(2, "karakter bukan UTF-8")]


def test_a_row_longer_than_the_header_is_refused_a_shorter_one_padded():
    found = errors(f"kode_desa;tahun;bumil\n{A};2026;4;99\n")
    assert found[0][0] == 2 and "kolom" in found[0][1]
    figures, _ = run(f"kode_desa;tahun;bumil;bayi\n{A};2026;4\n")
    assert figures == [Figure(A, 2026, "bumil", 4)]


def test_a_quoted_cell_spanning_lines_keeps_the_line_numbers_right():
    found = errors(f'kode_desa;nama_desa;tahun;bumil\n{A};"Ciko\nlong";2026;4\n{B};x;2026;-1\n')
    assert found == [(4, "bumil: angka negatif ('-1')")]


def test_the_template_reads_back_as_the_same_figures():
    text = template(2026, {A: "Cikalong", B: "Mekarjaya"}, GROUPS, {(A, "bumil"): 45})
    assert text.startswith("\ufeffkode_desa;nama_desa;tahun;")
    figures, rows = run(text)
    assert rows == 2 and figures == [Figure(A, 2026, "bumil", 45)]
