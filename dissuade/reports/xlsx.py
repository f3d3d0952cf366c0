"""The report as an Excel/WPS workbook: one sheet per table, real numbers with number formats."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dissuade.reports import labels as L
from dissuade.reports.model import Cell, Duration, Pct, Report, Table, When, Yuan, text

PERCENT = "0.0%"
YUAN = "#,##0.00"
MINUTES_SECONDS = "[m]:ss"
DATETIME = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 48

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SECTION = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
RIGHT = Alignment(horizontal="right")


def render(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    _summary_sheet(summary, report)
    for table in report.sheets:
        _table_sheet(book.create_sheet(table.title[0]), table)
    book.properties.title = f"{L.TITLE[0]} {report.period_text}"
    book.properties.creator = "dissuade"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(ws: Worksheet, row: int, column: int, cell: Cell) -> None:
    """One value as Excel holds it: numbers as numbers, a missing rate as —."""
    target = ws.cell(row=row, column=column)
    if isinstance(cell, Pct):
        target.value = L.NONE_TEXT if cell.value is None else cell.value
        target.number_format, target.alignment = PERCENT, RIGHT
    elif isinstance(cell, Yuan):
        target.value = cell.value
        target.number_format = YUAN
    elif isinstance(cell, Duration):
        target.value = L.NONE_TEXT if cell.seconds is None else round(cell.seconds) / 86400
        target.number_format, target.alignment = MINUTES_SECONDS, RIGHT
    elif isinstance(cell, When):
        target.value = cell.at
        target.number_format = DATETIME
    else:
        target.value = cell
        if isinstance(cell, str) and "\n" in cell:
            target.alignment = WRAP_TOP


def _header(ws: Worksheet, row: int, headings: Sequence[L.Heading]) -> None:
    for column, heading in enumerate(headings, start=1):
        target = ws.cell(row=row, column=column, value=L.both(heading, "\n"))
        target.font, target.fill, target.alignment = BOLD, HEADER_FILL, HEADER_ALIGN
    ws.row_dimensions[row].height = 32


def _block(ws: Worksheet, row: int, table: Table) -> int:
    """A heading row and the rows of `table` from `row`; returns the next free row."""
    _header(ws, row, table.headings)
    for offset, values in enumerate(table.rows, start=1):
        for column, cell in enumerate(values, start=1):
            _put(ws, row + offset, column, cell)
    if not table.rows:
        ws.cell(row=row + 1, column=1, value=L.both(L.NO_DATA))
    return row + max(1, len(table.rows)) + 1


def _table_sheet(ws: Worksheet, table: Table) -> None:
    end = _block(ws, 1, table)
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.keys))}{end - 1}"
    _widths(ws, [table.headings], list(table.rows))


def _summary_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = L.SECTIONS["summary"][0]
    ws.cell(row=1, column=1, value=L.both(L.TITLE)).font = TITLE
    row = 2
    for heading, value in report.info:
        ws.cell(row=row, column=1, value=L.both(heading)).font = BOLD
        ws.cell(row=row, column=2, value=value)
        row += 1
    ws.cell(row=row - 1, column=3, value=L.AUDIT_HINT[0])
    row += 1
    for table in (report.summary, report.by_level, report.by_outcome):
        ws.cell(row=row, column=1, value=L.both(table.title)).font = SECTION
        row = _block(ws, row + 1, table) + 1
    ws.freeze_panes = "A2"
    rows: list[Sequence[Cell]] = [r for t in (report.summary, report.by_level, report.by_outcome) for r in t.rows]
    rows += [(L.both(h), v) for h, v in report.info]
    _widths(ws, [report.summary.headings], rows)


def _widths(ws: Worksheet, headings: Sequence[Sequence[L.Heading]], rows: Sequence[Sequence[Cell]]) -> None:
    """Columns as wide as their text (a CJK character counts two), within bounds."""
    widths: dict[int, int] = {}
    for heads in headings:
        for i, heading in enumerate(heads):
            widths[i] = max(widths.get(i, 0), *(L.display_width(part) for part in heading))
    for values in rows:
        for i, cell in enumerate(values):
            shown = text(cell)
            longest = max((L.display_width(line) for line in shown.split("\n")), default=0)
            widths[i] = max(widths.get(i, 0), longest)
    for i, width in widths.items():
        ws.column_dimensions[get_column_letter(i + 1)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
