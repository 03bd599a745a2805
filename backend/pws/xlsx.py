"""XLSX workbooks of the kohort registers and the monthly evaluation (openpyxl).

Every sheet is a table a bidan can keep working with: a title line, a header row per column
group and per column (repeated on every printed page), frozen panes below the headers and to
the right of the name, column widths fitted to the content, real dates (not text) shown as
DD/MM/YYYY, A4 landscape page setup. Girls' lines in a kohort are written in red, as the
Juknis kohor asks of the paper books; the L/P column says it in words as well.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from backend.pws.evaluation import DIRECTION_LABELS, OUTCOME_LABELS, SOURCE_LABELS
from backend.pws.kohort import Column, Kohort
from backend.pws.status import LABELS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GIRL = Font(color="C00000")
TITLE_ROW, GROUP_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 3, 4, 5
SHEET_NAME_MAX = 31          # Excel's limit


@dataclass(frozen=True)
class Sheet:
    """One table to write: its name, a title line, columns and rows (dicts keyed by column)."""
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    freeze_after: str | None = None    # the column key left of the vertical split
    red_when: tuple[str, str] | None = None   # (key, value): rows written in red


def sheet_name(text: str) -> str:
    """A valid, unique-enough sheet name: no []:*?/\\ and at most 31 characters."""
    for char in "[]:*?/\\":
        text = text.replace(char, "-")
    return text[:SHEET_NAME_MAX]


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.title = sheet_name(sheet.name)
    ws.cell(TITLE_ROW, 1, sheet.title).font = Font(bold=True, size=13)
    _headers(ws, sheet.columns)
    for offset, row in enumerate(sheet.rows):
        red = sheet.red_when and row.get(sheet.red_when[0]) == sheet.red_when[1]
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(FIRST_DATA_ROW + offset, index, _value(row.get(column.key)))
            cell.border = BORDER
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            if red:
                cell.font = GIRL
    _widths(ws, sheet.columns, sheet.rows)
    split = 1 + next((i for i, c in enumerate(sheet.columns) if c.key == sheet.freeze_after), -1)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, split + 1)
    ws.print_title_rows = f"{GROUP_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _value(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return "" if value is None else value


def _headers(ws: Worksheet, columns: list[Column]) -> None:
    """The column-group row (merged over each run of one group) and the column row."""
    start = 1
    for index in range(1, len(columns) + 2):
        group = columns[index - 1].group if index <= len(columns) else None
        if index > len(columns) or group != columns[start - 1].group:
            if columns[start - 1].group:
                ws.cell(GROUP_ROW, start, columns[start - 1].group)
                if index - 1 > start:
                    ws.merge_cells(start_row=GROUP_ROW, start_column=start, end_row=GROUP_ROW,
                                   end_column=index - 1)
            start = index
    for index, column in enumerate(columns, start=1):
        for row in (GROUP_ROW, HEADER_ROW):
            cell = ws.cell(row, index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.cell(HEADER_ROW, index, column.label)


def _widths(ws: Worksheet, columns: list[Column], rows: Iterable[dict]) -> None:
    for index, column in enumerate(columns, start=1):
        longest = max((len(str(_value(row.get(column.key)))) for row in rows), default=0)
        width = 11 if column.kind == "date" else min(max(column.width, longest + 2), 40)
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook(sheets: list[Sheet]) -> bytes:
    """The workbook's bytes, one worksheet per Sheet in order."""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        write_sheet(ws, sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def kohort_workbook(kohort: Kohort) -> bytes:
    """A sheet per section of the kohort (residents, then outside the area)."""
    place = f"Desa {kohort.desa['name']} ({kohort.desa['code']}), tahun {kohort.year}"
    return workbook([Sheet(section.sheet, f"{section.title} - {place}", section.columns,
                           section.rows, freeze_after="name",
                           red_when=("sex", "P") if kohort.kind == "balita" else None)
                     for section in kohort.sections])


# ------------------------------------------------------------------- the monthly evaluation

def status_text(status: str | None) -> str:
    return LABELS.get(status, "Tidak ada sasaran") if status else "Tidak ada sasaran"


def evaluation_sheets(data: dict) -> list[Sheet]:
    """The evaluation as workbook sheets: a summary, a sheet per cluster, one for sasaran,
    one for follow-up, one for morbidity (issue 12 §9)."""
    title = f"Evaluasi bulanan PWS - bulan {data['month']}"
    sheets = [Sheet("Ringkasan", f"{title}: status per desa", [
        Column("desa_name", "Desa", width=20), Column("baik", "Baik", kind="number", width=7),
        Column("kurang", "Kurang", kind="number", width=7),
        Column("cukup", "Cukup", kind="number", width=7),
        Column("jelek", "Jelek", kind="number", width=7),
        Column("none", "Tanpa sasaran", kind="number", width=9),
        Column("open_flags", "Catatan bertanda", kind="number", width=10),
        Column("duplicates", "Mungkin ganda", kind="number", width=10)],
        data["status_counts"], freeze_after="desa_name")]
    sheets.append(Sheet("Kesenjangan terbesar", f"{title}: kesenjangan terbesar", [
        Column("short", "Indikator", width=14), Column("desa_name", "Desa", width=18),
        Column("gap_persons", "Kurang (orang)", kind="number", width=10),
        Column("num_cum", "Capaian kumulatif", kind="number", width=10),
        Column("denominator", "Sasaran", kind="number", width=9),
        Column("coverage_cum", "% kumulatif", kind="number", width=9),
        Column("target_cum", "Target kumulatif %", kind="number", width=10),
        Column("status_text", "Status", width=10)],
        [{**g, "status_text": status_text(g["status"])} for g in data["largest_gaps"]],
        freeze_after="desa_name"))
    names = {d["code"]: d["name"] for d in data["desa"]}
    columns = [
        Column("short", "Indikator", width=14), Column("desa_name", "Desa", width=18),
        Column("denominator", "Sasaran", "Sasaran", "number", 9),
        Column("source", "Sumber sasaran", "Sasaran", width=14),
        Column("num_month", "Bulan ini", "Capaian (orang)", "number", 9),
        Column("num_cum", "Kumulatif", "Capaian (orang)", "number", 9),
        Column("coverage_month", "Bulan ini", "Cakupan %", "number", 9),
        Column("coverage_cum", "Kumulatif", "Cakupan %", "number", 9),
        Column("target_cum", "Target kumulatif", "Cakupan %", "number", 9),
        Column("gap_persons", "Kurang (orang)", "", "number", 9),
        Column("status_text", "Status", "PWS-KIA", width=10),
        Column("direction_text", "Arah", "PWS-KIA", width=8),
        Column("rank", "Peringkat", "PWS-KIA", "number", 8)]
    for cluster in data["clusters"]:
        rows = []
        for indicator in cluster["indicators"]:
            for cell in [*indicator["cells"], {**(indicator["total"] or {}), "desa": None}]:
                rows.append({**cell, "short": indicator["short"],
                             "desa_name": names.get(cell["desa"], "Puskesmas (jumlah)"),
                             "source": SOURCE_LABELS.get(cell.get("denominator_source"), ""),
                             "status_text": status_text(cell.get("status")),
                             "direction_text": DIRECTION_LABELS.get(cell.get("direction"), "")})
        sheets.append(Sheet(cluster["label"].split(" - ")[0], f"{title}: {cluster['label']}",
                            columns, rows, freeze_after="desa_name"))
    sheets.append(Sheet("Sasaran", f"{title}: sasaran (penyebut) yang dipakai", [
        Column("label", "Kelompok sasaran", width=26), Column("desa_name", "Desa", width=18),
        Column("value", "Jumlah", kind="number", width=9),
        Column("source_text", "Sumber", width=16),
        Column("indicators_text", "Dipakai untuk", width=30)],
        [{**r, "source_text": SOURCE_LABELS.get(r["source"], r["source"] or ""),
          "indicators_text": ", ".join(r["indicators"])} for r in data["denominators"]],
        freeze_after="desa_name"))
    sheets.append(_followup_sheet(data, title, names))
    sheets.append(_morbidity_sheet(data, title, names))
    return sheets


def _followup_sheet(data: dict, title: str, names: dict[str, str]) -> Sheet:
    rows = data["followup"]
    seen = {code for row in rows for code in (row.get("outcomes") or {})}
    outcomes = [code for code in OUTCOME_LABELS if code in seen] + sorted(seen - set(
        OUTCOME_LABELS))
    columns = [Column("desa_name", "Desa", width=18),
               Column("created", "Dibuat", kind="number", width=8),
               Column("open", "Masih terbuka", kind="number", width=9),
               Column("done", "Selesai", kind="number", width=8),
               Column("cancelled", "Dibatalkan", kind="number", width=9),
               *[Column(f"outcome:{code}", OUTCOME_LABELS.get(code, code), "Hasil", "number", 9)
                 for code in outcomes]]
    return Sheet("Tindak lanjut", f"{title}: tindak lanjut dari bulan {data['previous_month']}",
                 columns, [{**row, "desa_name": names.get(row["desa"], row["desa"]),
                            **{f"outcome:{code}": n
                               for code, n in (row.get("outcomes") or {}).items()}}
                           for row in rows], freeze_after="desa_name")


def _morbidity_sheet(data: dict, title: str, names: dict[str, str]) -> Sheet:
    morbidity = data["morbidity"]
    rows = [{"kind": "Terbanyak", "code": t["code"], "label": t["label"], "cases": t["cases"]}
            for t in morbidity.get("top", [])]
    rows += [{"kind": "Pantauan", "label": w["label"], "cases": w["total"],
              "code": ", ".join(w.get("codes") or []),
              **{f"desa:{code}": n for code, n in (w.get("cases_by_desa") or {}).items()}}
             for w in morbidity.get("watch", [])]
    columns = [Column("kind", "Jenis", width=10), Column("code", "ICD-10", width=10),
               Column("label", "Penyakit", width=36),
               Column("cases", "Kasus baru", kind="number", width=9),
               *[Column(f"desa:{d['code']}", d["name"], "Kasus per desa", "number", 10)
                 for d in data["desa"]]]
    return Sheet("Morbiditas", f"{title}: morbiditas (kasus baru)", columns, rows,
                 freeze_after="label")


def evaluation_workbook(data: dict) -> bytes:
    return workbook(evaluation_sheets(data))
