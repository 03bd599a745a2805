"""Official targets (sasaran) per desa, year and target group: the CSV import, its template and
the stored figures.

The Dinas Kesehatan publishes its estimates (proyeksi sasaran) once a year as a spreadsheet;
the officer or the Puskesmas admin saves it as CSV and uploads it. The file format is therefore
the one such a spreadsheet has (docs/pws.md, "Sasaran"):

* one row per desa and year; a header row naming the columns;
* `kode_desa`: the desa's kode wilayah (Kemendagri), the `code` of its place; `nama_desa`
  optional, for the reader only; `tahun`: the year;
* one column per target group, headed by its key in pws.json `groups` (`bumil`) or its
  Indonesian label (`Ibu hamil`), case-insensitively;
* UTF-8 with or without BOM (Excel's "CSV UTF-8"), comma or semicolon separated (Excel in an
  Indonesian locale writes `;`); an empty cell means "no official figure": PWS then falls back
  to the convention, then to the registered persons (ILP.md §2, backend/pws/denominators.py).

A file is stored whole or not at all: every bad row is reported with its line and reason, and
one bad row keeps the whole file out (issue 12 "Bad input": nothing changed). A good file
replaces the figures it names (desa × year × group) and leaves every other figure as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from backend import audit, clock
from backend.projections.tables import places
from backend.pws.catalogue import catalogue
from backend.pws.tables import sasaran

OLDEST_YEAR = 2000                    # a year before this is a typo, not a target

# Column names of the file, normalized (see `_norm`), beside the group columns.
DESA_HEADERS = ("kode_desa", "kode_wilayah", "kode", "kode_kemendagri")
NAME_HEADERS = ("nama_desa", "nama", "desa", "desa_kelurahan")
YEAR_HEADERS = ("tahun", "year")


class SasaranError(Exception):
    """The file cannot be stored. `errors` are `(line, reason)` pairs (line 0: the file as a
    whole); `status` is the HTTP status an upload answers with (413 too large, else 422)."""

    def __init__(self, message: str, errors: list[tuple[int, str]], status: int = 422):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.status = status

    def as_dicts(self) -> list[dict]:
        return [{"line": line, "reason": reason} for line, reason in self.errors]


@dataclass(frozen=True)
class Figure:
    desa: str
    year: int
    group: str
    value: int


@dataclass(frozen=True)
class ImportResult:
    rows: int                 # data rows of the file
    figures: int              # desa × year × group figures stored (non-empty cells)
    years: tuple[int, ...]
    groups: tuple[str, ...]
    desa: tuple[str, ...]


def _norm(text: str) -> str:
    """A header as compared: case, surrounding spaces, and the spelling of separators (space,
    dash, underscore, slash) do not matter, so `Ibu Hamil`, `ibu_hamil` and `IBU-HAMIL` agree."""
    return re.sub(r"[\s_\-/]+", "_", text.strip().casefold()).strip("_")


def group_headers(groups: Mapping[str, dict]) -> dict[str, str]:
    """Normalized header → group key: each group's key and its Indonesian label."""
    headers = {}
    for key, spec in groups.items():
        headers[_norm(key)] = key
        headers[_norm(spec.get("label", key))] = key
    return headers


def check_size(size: int | None, limit: int) -> None:
    """Refuse a file over `limit` bytes before anything reads it whole."""
    if size is not None and size > limit:
        raise SasaranError(
            f"Berkas terlalu besar ({size:,} byte); batasnya {limit:,} byte.".replace(",", "."),
            [(0, "berkas terlalu besar")], status=413)


def read_limited(stream, limit: int) -> bytes:
    """At most `limit` bytes of `stream`; SasaranError 413 if it holds more (a sender that
    gives no length, or lies about it, is still cut off after `limit + 1` bytes)."""
    data = stream.read(limit + 1)
    check_size(len(data), limit)
    return data


def _decode(data: bytes) -> str:
    if not data.strip():
        raise SasaranError("Berkas kosong.", [(0, "berkas kosong")])
    if data.startswith(b"PK\x03\x04"):
        raise SasaranError("Berkas ini XLSX, bukan CSV: simpan dari Excel sebagai "
                           "\"CSV UTF-8 (dipisahkan koma)\".", [(0, "berkas XLSX, bukan CSV")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SasaranError("Berkas berenkode UTF-16; simpan sebagai \"CSV UTF-8\".",
                           [(0, "enkode UTF-16, bukan UTF-8")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SasaranError("Berkas bukan UTF-8; simpan dari Excel sebagai \"CSV UTF-8\".",
                           [(line, "karakter bukan UTF-8")]) from exc
    if "\x00" in text:
        raise SasaranError("Berkas bukan teks CSV.", [(0, "berkas biner, bukan CSV")])
    return text


def _delimiter(header_line: str) -> str:
    """`;` when the header has more semicolons than commas (Excel in an Indonesian locale),
    else `,`; a tab-separated copy from a spreadsheet works too."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class _Columns:
    desa: int
    year: int
    groups: dict[int, str]   # column index → group key
    blank: tuple[int, ...]   # columns without a header: their cells must stay empty


def _columns(header: list[str], groups: Mapping[str, dict]) -> _Columns:
    known = group_headers(groups)
    desa = year = None
    by_index: dict[int, str] = {}
    blank = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        name = _norm(raw)
        if not name:
            blank.append(index)   # e.g. a trailing separator
            continue
        elif name in DESA_HEADERS:
            desa = index if desa is None else desa
        elif name in YEAR_HEADERS:
            year = index if year is None else year
        elif name in NAME_HEADERS:
            continue
        elif name in known:
            key = known[name]
            if key in seen:
                errors.append((1, f"kolom {raw.strip()!r} sama dengan kolom {seen[key]!r}"))
            seen[key] = raw.strip()
            by_index[index] = key
        else:
            errors.append((1, f"kolom tidak dikenal: {raw.strip()!r}"))
    if desa is None:
        errors.append((1, "kolom wajib tidak ada: kode_desa"))
    if year is None:
        errors.append((1, "kolom wajib tidak ada: tahun"))
    if not by_index:
        errors.append((1, "tidak ada kolom kelompok sasaran (mis. bumil, bayi, balita)"))
    if errors:
        raise SasaranError("Judul kolom berkas tidak sesuai.", errors)
    return _Columns(desa, year, by_index, tuple(blank))


def _whole_number(cell: str) -> tuple[int | None, str | None]:
    """The cell as a count of persons, or the reason it is not one."""
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", text):
        value = int(text)
        return (None, "angka negatif") if value < 0 else (value, None)
    if re.fullmatch(r"[+-]?\d*[.,]\d+", text) or re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3})+", text):
        return None, ("bukan bilangan bulat (desimal atau pemisah ribuan): tulis jumlah orang "
                      "tanpa titik atau koma")
    return None, "bukan angka"


def parse(data: bytes, desa_codes: Iterable[str], groups: Mapping[str, dict],
          this_year: int) -> tuple[list[Figure], int]:
    """The figures of a CSV file and its count of data rows; SasaranError listing every bad row.

    Pure: the known desa codes, the groups and the current year are given, so the rules are
    tested without a database.
    """
    text = _decode(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    known_desa = set(desa_codes)
    header = None
    columns = None
    figures: list[Figure] = []
    errors: list[tuple[int, str]] = []
    first_line: dict[tuple[str, int], int] = {}
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SasaranError("Berkas CSV rusak.", [(start, f"CSV rusak: {exc}")]) from exc
        if not any(cell.strip() for cell in cells):
            continue   # blank line, or a spreadsheet's row of empty cells
        if header is None:
            header = cells
            columns = _columns(header, groups)
            continue
        rows += 1
        errors.extend(_row(cells, start, header, columns, known_desa, this_year, first_line,
                           figures))
    if columns is None:
        raise SasaranError("Berkas kosong.", [(0, "berkas kosong")])
    if not rows:
        raise SasaranError("Berkas hanya berisi judul kolom, tanpa baris desa.",
                           [(0, "tidak ada baris data")])
    if errors:
        raise SasaranError(f"{len(errors)} kesalahan; tidak ada yang disimpan.", errors)
    return figures, rows


def _desa_error(desa: str, known_desa: set[str]) -> str | None:
    if not desa:
        return "kode desa kosong"
    if re.fullmatch(r"\d+([.,]\d+)?[eE]\+?\d+", desa):
        return (f"kode desa {desa!r} tertulis sebagai angka ilmiah: format kolom kode_desa "
                "sebagai Teks di Excel, lalu simpan lagi")
    if desa not in known_desa:
        return f"kode desa tidak dikenal: {desa!r}"
    return None


def _row(cells: list[str], line: int, header: list[str], columns: _Columns,
         known_desa: set[str], this_year: int, first_line: dict[tuple[str, int], int],
         figures: list[Figure]) -> list[tuple[int, str]]:
    """Check one data row; append its figures to `figures` when it has no error."""
    if any(cell.strip() for cell in cells[len(header):]):
        return [(line, f"{len(cells)} kolom, padahal judul hanya {len(header)} kolom")]
    cells = cells + [""] * (len(header) - len(cells))   # Excel drops trailing empty cells
    if any(cells[index].strip() for index in columns.blank):
        return [(line, "isian di kolom tanpa judul")]
    errors = []
    desa = cells[columns.desa].strip()
    reason = _desa_error(desa, known_desa)
    if reason:
        errors.append((line, reason))
    year_text = cells[columns.year].strip()
    year, reason = _whole_number(year_text) if year_text else (None, "kosong")
    if year is None or not OLDEST_YEAR <= year <= this_year + 1:
        errors.append((line, f"tahun tidak valid: {year_text!r} (harus {OLDEST_YEAR}–"
                             f"{this_year + 1})"))
        year = None
    if desa and year is not None:
        earlier = first_line.setdefault((desa, year), line)
        if earlier != line:
            errors.append((line, f"desa {desa} tahun {year} sudah ada di baris {earlier}"))
    row_figures = []
    for index, group in columns.groups.items():
        cell = cells[index].strip()
        if not cell:
            continue   # no official figure: the fallbacks apply
        value, reason = _whole_number(cell)
        if reason:
            errors.append((line, f"{header[index].strip()}: {reason} ({cell!r})"))
        elif desa and year is not None:
            row_figures.append(Figure(desa, year, group, value))
    if not errors:
        figures.extend(row_figures)
    return errors


def desa_names(conn: sa.Connection) -> dict[str, str]:
    """Kode wilayah → name of every desa of the Puskesmas (the places projection)."""
    rows = conn.execute(sa.select(places.c.code, places.c.name)
                        .where(places.c.kind == "desa", places.c.code.is_not(None))
                        .order_by(places.c.code))
    return {code: name for code, name in rows}


def import_csv(conn: sa.Connection, data: bytes, *, filename: str | None, actor,
               imported_by: str) -> ImportResult:
    """Check the whole file, then replace the figures it names, in the caller's transaction,
    with one audit row. Raises SasaranError (nothing written) on any bad row. The size limit
    is the reader's to keep (`check_size`, `read_limited`: before the file is read whole)."""
    figures, rows = parse(data, desa_names(conn), catalogue().groups, clock.today().year)
    stamp = clock.utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")
    # The file's own name only: some browsers send the client's full path (/home/…/x.csv).
    source = re.split(r"[\\/]", filename or "")[-1][:200] or None
    named: dict[tuple[str, int], list[str]] = defaultdict(list)   # (desa, year) -> groups
    for figure in figures:
        named[(figure.desa, figure.year)].append(figure.group)
    for (desa, year), groups in named.items():   # one statement per file row, not per figure
        conn.execute(sasaran.delete().where(sasaran.c.desa == desa, sasaran.c.year == year,
                                            sasaran.c.target_group.in_(groups)))
    if figures:
        conn.execute(sasaran.insert(), [
            dict(desa=f.desa, year=f.year, target_group=f.group, value=f.value,
                 imported_at=stamp, imported_by=imported_by[:120], source_file=source)
            for f in figures])
    result = ImportResult(
        rows=rows, figures=len(figures), years=tuple(sorted({f.year for f in figures})),
        groups=tuple(sorted({f.group for f in figures})),
        desa=tuple(sorted({f.desa for f in figures})))
    audit.record(conn, actor=actor, action="sasaran.import", target_type="sasaran",
                 target_id=source or "-",
                 detail={"file": source, "by": imported_by, "rows": rows,
                         "figures": len(figures), "years": list(result.years),
                         "desa": list(result.desa), "groups": list(result.groups)})
    return result


def stored(conn: sa.Connection, year: int, desa: Iterable[str]) -> list[dict]:
    """The official figures of `year` for these desa, with who imported each, when and from
    which file: one row per desa × group, in desa then catalogue group order."""
    order = {key: index for index, key in enumerate(catalogue().groups)}
    rows = conn.execute(sa.select(sasaran).where(
        sasaran.c.year == year, sasaran.c.desa.in_(sorted(desa))))
    result = [dict(row._mapping) for row in rows]
    result.sort(key=lambda r: (r["desa"], order.get(r["target_group"], len(order))))
    return result


def template(year: int, desa: Mapping[str, str], groups: Mapping[str, dict],
             figures: Mapping[tuple[str, str], int] | None = None) -> str:
    """A CSV to fill in: a row per desa of the Puskesmas for `year`, a column per group
    (headed by its key, which the import reads back), semicolon-separated with a BOM so that
    Excel in an Indonesian locale opens it in columns. `figures` pre-fills stored values."""
    figures = figures or {}
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kode_desa", "nama_desa", "tahun", *groups])
    for code, name in desa.items():
        writer.writerow([code, name, year,
                         *(figures.get((code, key), "") for key in groups)])
    return "\ufeff" + out.getvalue()
