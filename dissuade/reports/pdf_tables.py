"""Tables in the PDF: wrapped cells, numbers on the right, the heading repeated on each new page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dissuade.domain.codes import OUTCOME_LABELS
from dissuade.reports import labels as L
from dissuade.reports.labels import Heading
from dissuade.reports.model import Cell, Duration, Pct, Table, When, Yuan, outcome_key, text
from dissuade.reports.pdf_doc import FONT, GRID, HEADER_FILL, INK, MUTED, RULE, ZEBRA, ReportPdf

PAD = 1.2
LINE = 3.9  # mm per line of 7.5 pt text
HEADER_ZH, HEADER_EN, BODY = 7.8, 6.2, 7.5


@dataclass(frozen=True, slots=True)
class Column:
    heading: Heading
    width: float  # a share of the table's width; scaled to fit
    align: str = "L"


def when_text(at: datetime | None, year: int) -> str:
    """Short times in tables: the year only when it is not the report's."""
    if at is None:
        return ""
    return f"{at:%m-%d %H:%M}" if at.year == year else f"{at:%Y-%m-%d %H:%M}"


def cell_text(cell: Cell, year: int) -> str:
    return when_text(cell.at, year) if isinstance(cell, When) else text(cell)


def numeric(cell: Cell) -> bool:
    return isinstance(cell, int | float | Pct | Yuan | Duration) and not isinstance(cell, bool)


def draw(pdf: ReportPdf, title: Heading | None, columns: Sequence[Column], rows: Sequence[Sequence[str]],
         *, x: float | None = None, width: float | None = None) -> float:
    """The table from the current y; returns the y under it. Rows never split across pages."""
    left = pdf.l_margin if x is None else x
    total = pdf.epw if width is None else width
    scale = total / sum(c.width for c in columns)
    widths = [c.width * scale for c in columns]
    pdf.set_font(FONT, size=BODY)
    first = _row_height(pdf, widths, rows[0]) if rows else LINE + 2 * PAD
    if title is not None:
        pdf.section_title(title, keep=_header_height(pdf, columns, widths) + first)
    elif pdf.will_page_break(_header_height(pdf, columns, widths) + first):
        pdf.add_page()
    _header(pdf, left, columns, widths)
    if not rows:
        _no_data(pdf, left, total)
        return pdf.get_y()
    for n, row in enumerate(rows):
        height = _row_height(pdf, widths, row)
        if pdf.will_page_break(height):
            pdf.add_page()
            if title is not None:
                _continued(pdf, left, total, title)
            _header(pdf, left, columns, widths)
        top = pdf.get_y()
        if n % 2:
            pdf.fill_rect(left, top, total, height, ZEBRA)
        pdf.set_font(FONT, size=BODY)
        pdf.set_text_color(*INK)
        cx = left
        for column, w, value in zip(columns, widths, row, strict=True):
            pdf.set_xy(cx + PAD, top + PAD)
            pdf.multi_cell(w - 2 * PAD, LINE, value, align=column.align, new_x="LEFT", new_y="NEXT")
            cx += w
        pdf.hline(left, left + total, top + height, GRID)
        pdf.set_xy(left, top + height)
    pdf.hline(left, left + total, pdf.get_y(), RULE, 0.3)
    return pdf.get_y()


def _lines(pdf: ReportPdf, width: float, value: str) -> int:
    if not value:
        return 1
    lines = pdf.multi_cell(width - 2 * PAD, LINE, value, dry_run=True, output="LINES")
    return max(1, len(lines)) if isinstance(lines, list) else 1


def _row_height(pdf: ReportPdf, widths: Sequence[float], row: Sequence[str]) -> float:
    pdf.set_font(FONT, size=BODY)
    return max(_lines(pdf, w, v) for w, v in zip(widths, row, strict=True)) * LINE + 2 * PAD


def _header_height(pdf: ReportPdf, columns: Sequence[Column], widths: Sequence[float]) -> float:
    pdf.set_font(FONT, size=HEADER_ZH)
    zh = max(_lines(pdf, w, c.heading[0]) for c, w in zip(columns, widths, strict=True))
    pdf.set_font(FONT, size=HEADER_EN)
    en = max(_lines(pdf, w, c.heading[1]) for c, w in zip(columns, widths, strict=True))
    return zh * LINE + en * 3.0 + 2 * PAD


def _header(pdf: ReportPdf, left: float, columns: Sequence[Column], widths: Sequence[float]) -> None:
    """Chinese heading over the English one, on a tinted band."""
    height = _header_height(pdf, columns, widths)
    top = pdf.get_y()
    pdf.fill_rect(left, top, sum(widths), height, HEADER_FILL)
    pdf.set_font(FONT, size=HEADER_ZH)
    zh_lines = max(_lines(pdf, w, c.heading[0]) for c, w in zip(columns, widths, strict=True))
    cx = left
    for column, w in zip(columns, widths, strict=True):
        pdf.set_xy(cx + PAD, top + PAD)
        pdf.set_font(FONT, size=HEADER_ZH)
        pdf.set_text_color(*INK)
        with pdf.bold(0.12):
            pdf.multi_cell(w - 2 * PAD, LINE, column.heading[0], align=column.align)
        pdf.set_xy(cx + PAD, top + PAD + zh_lines * LINE)
        pdf.set_font(FONT, size=HEADER_EN)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(w - 2 * PAD, 3.0, column.heading[1], align=column.align)
        cx += w
    pdf.set_text_color(*INK)
    pdf.set_xy(left, top + height)


def _continued(pdf: ReportPdf, left: float, total: float, title: Heading) -> None:
    """The table's name again at the top of a page it runs on to."""
    top = pdf.get_y()
    pdf.set_font(FONT, size=9.5)
    zh = f"{title[0]}（续）"
    zh_w = pdf.get_string_width(zh) + 2
    pdf.text_at(left, top, zh_w, 6, zh, size=9.5)
    pdf.text_at(left + zh_w, top + 0.3, total - zh_w, 6, f"{title[1]}, continued", size=7.5, colour=MUTED)
    pdf.set_xy(left, top + 7)


def _no_data(pdf: ReportPdf, left: float, total: float) -> None:
    top = pdf.get_y()
    pdf.text_at(left, top, total, 7, L.both(L.NO_DATA, "  "), size=8.5, align="C", colour=MUTED)
    pdf.hline(left, left + total, top + 7, RULE, 0.3)
    pdf.set_xy(left, top + 7)


def columns_of(table: Table, widths: Sequence[float], keys: Sequence[str] | None = None) -> list[Column]:
    """Columns for `keys` of the table (all by default), numbers aligned right."""
    keys = list(keys or table.keys)
    firsts = table.rows[0] if table.rows else ()
    index = {k: i for i, k in enumerate(table.keys)}
    return [Column(table.headings[index[k]], w,
                   "R" if firsts and numeric(firsts[index[k]]) else "L")
            for k, w in zip(keys, widths, strict=True)]


def rows_of(table: Table, year: int, keys: Sequence[str] | None = None) -> list[list[str]]:
    keys = list(keys or table.keys)
    return [[cell_text(record[k], year) for k in keys] for record in table.records()]


def pack(pdf: ReportPdf, parts: Sequence[str], width: float, sep: str = "、") -> str:
    """Parts joined by `sep`, lines broken only between parts (never "已被骗" / "5")."""
    pdf.set_font(FONT, size=BODY)
    lines: list[str] = []
    for part in parts:
        candidate = f"{lines[-1]}{sep}{part}" if lines else part
        if lines and pdf.get_string_width(candidate + sep) <= width:  # room for a sep after it
            lines[-1] = candidate
        else:
            if lines:
                lines[-1] += sep
            lines.append(part)
    return "\n".join(lines)


OFFICER_KEYS = ("officer", "handled", "attempts", "mean_handle", "dissuaded", "breaches", "reviews_pass",
                "reviews_fail")


def officers(pdf: ReportPdf, table: Table, year: int) -> None:
    """By officer, the calls by outcome in one column: ten columns of mostly zeros do not fit A4."""
    columns = columns_of(table, (22, 17, 14, 19, 14, 12, 14, 17), OFFICER_KEYS)
    columns.append(Column(L.OFFICERS["outcomes"], 51))
    rows = []
    for record, row in zip(table.records(), rows_of(table, year, OFFICER_KEYS), strict=True):
        counts = [(OUTCOME_LABELS[code][0], record[outcome_key(code)]) for code in OUTCOME_LABELS]
        row.append(pack(pdf, [f"{name} {n}" for name, n in counts if n], columns[-1].width - 2 * PAD))
        rows.append(row)
    draw(pdf, table.title, columns, rows)


def robot(pdf: ReportPdf, table: Table, year: int) -> None:
    """The robot's first pass beside people's figures (item, value, English)."""
    columns = [Column(table.headings[0], 62), Column(table.headings[1], 28, "R"),
               Column(table.headings[2], 72)]
    draw(pdf, table.title, columns, rows_of(table, year))


ESCALATION_COLUMNS = (
    Column(L.ESCALATIONS["id"], 10, "R"), Column(L.ESCALATIONS["warning_id"], 14, "R"),
    Column(("方式 / 状态", "Kind / status"), 20), Column(("申请人 / 时间", "Proposed"), 20),
    Column(("审批人 / 时间", "Decided"), 20), Column(L.ESCALATIONS["reason"], 28),
    Column(L.ESCALATIONS["amount"], 18, "R"), Column(L.ESCALATIONS["cards"], 30),
    Column(("派出所 / 止付到期", "Station / hold until"), 20),
)


def escalations(pdf: ReportPdf, table: Table, year: int) -> None:
    """Escalations, pairs of fields stacked in one cell so that all of them fit across A4."""
    rows = []
    for r in table.records():
        def t(key: str, rec: dict[str, Cell] = r) -> str:
            return cell_text(rec[key], year)

        station = "\n".join(v for v in (t("station"), t("hold_until")) if v)
        rows.append([t("id"), t("warning_id"), f"{t('kind')}\n{t('status')}",
                     "\n".join(v for v in (t("proposed_by"), t("proposed_at")) if v),
                     "\n".join(v for v in (t("decided_by"), t("decided_at")) if v) or L.NONE_TEXT,
                     t("reason"), t("amount"), t("cards"), station])
    left_out = max(0, len(rows) - PDF_ROWS)
    draw(pdf, table.title, ESCALATION_COLUMNS, rows[left_out:])  # the newest come last
    _left_out(pdf, left_out)


PDF_ROWS = 120  # a long table's newest rows in the PDF; the XLSX and CSV carry every one


def _left_out(pdf: ReportPdf, count: int) -> None:
    """Say under a cut table how many rows only the spreadsheet holds: the PDF is a report for
    superiors, not the whole register."""
    if not count:
        return
    pdf.set_font(FONT, size=BODY)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, LINE + 1, f"另有 {count:,} 条较早记录未列出，见同期 XLSX/CSV 报告 / {count:,} earlier "
                   "rows are left out here: see the XLSX or CSV report of the same period",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def scam_types(pdf: ReportPdf, table: Table, year: int) -> None:
    draw(pdf, table.title, columns_of(table, (50, 24, 30, 22, 22, 22)), rows_of(table, year))


def repeat_victims(pdf: ReportPdf, table: Table, year: int) -> None:
    columns = columns_of(table, (14, 24, 12, 30, 14, 14, 24, 20, 17))
    rows = rows_of(table, year)
    draw(pdf, table.title, columns, rows[:PDF_ROWS])  # newest first here: keep the head
    _left_out(pdf, max(0, len(rows) - PDF_ROWS))
