"""The report as a PDF: the heading, the dissuasion figures first, the charts, then the tables."""

from __future__ import annotations

from typing import Any

from dissuade.fonts import CjkFont
from dissuade.reports import labels as L
from dissuade.reports import pdf_charts, pdf_tables
from dissuade.reports.labels import Heading
from dissuade.reports.model import Report, Table, text
from dissuade.reports.pdf_doc import FONT, INK, MUTED, RULE, ZEBRA, Colour, ReportPdf, hex_colour

TILES: tuple[tuple[str, str], ...] = (
    ("dissuaded", "#2e7d32"), ("already_lost", "#c62828"), ("dissuasion_rate", "#1565c0"),
    ("loss_avoided", "#2e7d32"),
)
TILE_H, TILE_GAP = 21.0, 4.0
FIGURE_ROW_H = 7.2


def render(report: Report, font: CjkFont) -> bytes:
    pdf = ReportPdf(font, footer_text=f"{L.TITLE[0]} {report.period_text}")
    pdf.set_title(f"{L.TITLE[0]} {report.period_text}")
    pdf.set_subject(L.TITLE[1])
    pdf.add_page()
    _heading(pdf, report)
    _tiles(pdf, report)
    if not report.figures["received"] and not report.figures["attempts"]:
        _nothing_happened(pdf)
    _figures(pdf, report)
    _level_and_outcome(pdf, report)
    pdf.add_page()
    pdf_charts.arrivals(pdf, report, 1)
    pdf_charts.outcomes(pdf, report, 2)
    pdf_charts.rates(pdf, report, 3)
    pdf_charts.scam_types(pdf, report, 4)
    year = report.start.year
    if report.centres is not None:
        pdf_tables.draw(pdf, report.centres.title,
                        pdf_tables.columns_of(report.centres, (40, 30, 30, 30)),
                        pdf_tables.rows_of(report.centres, year))
    pdf_tables.officers(pdf, report.officers, year)
    pdf_tables.robot(pdf, report.robot, year)
    pdf_tables.scam_types(pdf, report.scam_types, year)
    pdf_tables.escalations(pdf, report.escalations, year)
    pdf_tables.repeat_victims(pdf, report.repeat_victims, year)
    forecast_section(pdf, report.forecast, year)
    return bytes(pdf.output())


def _heading(pdf: ReportPdf, report: Report) -> None:
    pdf.set_font(FONT, size=22)
    with pdf.bold(0.3):
        width = pdf.get_string_width(L.TITLE[0])
        pdf.cell(width + 3, 11, L.TITLE[0])
    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 12.4, L.TITLE[1], new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.ln(1)
    info = dict(report.info)
    lines: list[tuple[Heading, str, str]] = [
        (L.INFO["period"], f"{info[L.INFO['period']]}（{report.tz}）", ""),
        (L.INFO["generated_at"], f"{info[L.INFO['generated_at']]}    {L.INFO['generated_by'][0]}："
                                 f"{info[L.INFO['generated_by']]}", ""),
        (L.INFO["audit_head"], info[L.INFO["audit_head"]], L.AUDIT_HINT[0]),
    ]
    for heading, value, hint in lines:
        y = pdf.get_y()
        pdf.text_at(pdf.l_margin, y, 20, 5.5, heading[0], size=9, colour=MUTED)
        pdf.text_at(pdf.l_margin + 20, y, 22, 5.5, heading[1], size=6.5, colour=MUTED)
        pdf.set_font(FONT, size=9.5)
        shown = pdf.get_string_width(value)
        pdf.text_at(pdf.l_margin + 42, y, shown + 2, 5.5, value, size=9.5)
        if hint:
            pdf.text_at(pdf.l_margin + 46 + shown, y, pdf.epw - 46 - shown, 5.5, hint, size=7, colour=MUTED)
        pdf.set_y(y + 5.5)
    pdf.ln(1.5)
    pdf.hline(pdf.l_margin, pdf.l_margin + pdf.epw, pdf.get_y(), INK, 0.5)
    pdf.ln(4)


def _tiles(pdf: ReportPdf, report: Report) -> None:
    """The four dissuasion figures in large type: what a lead reads first."""
    width = (pdf.epw - TILE_GAP * (len(TILES) - 1)) / len(TILES)
    top = pdf.get_y()
    for i, (key, colour) in enumerate(TILES):
        x = pdf.l_margin + i * (width + TILE_GAP)
        accent: Colour = hex_colour(colour)
        pdf.fill_rect(x, top, width, TILE_H, ZEBRA)
        pdf.fill_rect(x, top, 1.4, TILE_H, accent)
        zh, en = L.FIGURES[key]
        pdf.text_at(x + 4, top + 1.5, width - 6, 5, zh, size=9)
        pdf.text_at(x + 4, top + 6, width - 6, 3.5, en, size=6.5, colour=MUTED)
        pdf.set_font(FONT, size=17)
        pdf.set_text_color(*accent)
        with pdf.bold(0.25):
            pdf.set_xy(x + 4, top + 10.5)
            pdf.cell(width - 6, 9, text(report.figures[key]))
        pdf.set_text_color(*INK)
    pdf.set_y(top + TILE_H + 4)


def _nothing_happened(pdf: ReportPdf) -> None:
    """An empty period says so: zeros alone could be mistaken for a broken report."""
    top = pdf.get_y()
    pdf.fill_rect(pdf.l_margin, top, pdf.epw, 8, ZEBRA)
    pdf.text_at(pdf.l_margin, top, pdf.epw, 8, L.both(L.NO_DATA, "  "), size=10, align="C", colour=MUTED)
    pdf.set_y(top + 11)


def _figures(pdf: ReportPdf, report: Report) -> None:
    """The other summary figures, two to a row, in the summary's order."""
    keys = [k for k in L.FIGURES if k not in {t[0] for t in TILES}]
    half = (len(keys) + 1) // 2
    width = (pdf.epw - 8) / 2
    top = pdf.get_y()
    for column, group in enumerate((keys[:half], keys[half:])):
        x = pdf.l_margin + column * (width + 8)
        for row, key in enumerate(group):
            y = top + row * FIGURE_ROW_H
            zh, en = L.FIGURES[key]
            pdf.set_font(FONT, size=9.5)
            zh_w = pdf.get_string_width(zh) + 2
            pdf.text_at(x, y, zh_w, FIGURE_ROW_H, zh, size=9.5)
            pdf.text_at(x + zh_w, y + 0.3, width - zh_w - 24, FIGURE_ROW_H, en, size=6.5, colour=MUTED)
            pdf.set_font(FONT, size=10.5)
            with pdf.bold(0.15):
                pdf.text_at(x + width - 26, y, 26, FIGURE_ROW_H, text(report.figures[key]), size=10.5, align="R")
            pdf.hline(x, x + width, y + FIGURE_ROW_H)
    pdf.set_y(top + half * FIGURE_ROW_H + 5)


def _level_and_outcome(pdf: ReportPdf, report: Report) -> None:
    """Received by level and attempts by outcome, side by side."""
    width = (pdf.epw - 10) / 2
    pdf.ensure(12 + 12 + len(report.by_outcome.rows) * 5.2)
    top = pdf.get_y()
    bottoms = []
    for i, table in enumerate((report.by_level, report.by_outcome)):
        x = pdf.l_margin + i * (width + 10)
        _small_title(pdf, x, top, width, table.title)
        pdf.set_xy(x, top + 8)
        columns = pdf_tables.columns_of(table, (44, 22, 20))
        bottoms.append(pdf_tables.draw(pdf, None, columns, pdf_tables.rows_of(table, report.start.year),
                                       x=x, width=width))
    pdf.set_y(max(bottoms) + 3)


def _small_title(pdf: ReportPdf, x: float, y: float, width: float, heading: Heading) -> None:
    pdf.set_font(FONT, size=10.5)
    zh_w = pdf.get_string_width(heading[0]) + 2
    with pdf.bold(0.18):
        pdf.text_at(x, y, zh_w, 7, heading[0], size=10.5)
    pdf.text_at(x + zh_w, y + 0.4, width - zh_w, 7, heading[1], size=8, colour=MUTED)
    pdf.hline(x, x + width, y + 7.2, RULE)


def forecast_section(pdf: Any, forecast: Table | None, year: int) -> None:
    """The forecast's table in the PDF, its basis under it in small print."""
    if forecast is None:
        return
    hours = Table(forecast.key, forecast.title, forecast.keys, forecast.headings,
                  forecast.rows[:-1])
    pdf_tables.draw(pdf, forecast.title, pdf_tables.columns_of(hours, (22, 16, 16, 16, 22, 22, 16)),
                    pdf_tables.rows_of(hours, year))
    pdf.set_font(FONT, size=6.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(pdf.epw, 3.4, str(forecast.rows[-1][0]))
    pdf.set_text_color(0, 0, 0)
