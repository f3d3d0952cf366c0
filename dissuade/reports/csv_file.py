"""The report as one CSV file (UTF-8 with BOM, so Excel opens it): the sections one after another."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from dissuade.reports import labels as L
from dissuade.reports.model import Report, Table, text

if TYPE_CHECKING:
    from _csv import Writer


def render(report: Report) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([L.both(L.TITLE)])
    for heading, value in report.info:
        writer.writerow([L.both(heading), value])
    writer.writerow([])
    for table in (report.summary, report.by_level, report.by_outcome, *report.sheets):
        _section(writer, table)
    return out.getvalue().encode("utf-8-sig")


def _section(writer: Writer, table: Table) -> None:
    """A title row, a heading row, the data rows and a blank row."""
    writer.writerow([L.both(table.title)])
    writer.writerow([L.both(h) for h in table.headings])
    for row in table.rows:
        # Amounts without thousands separators: a spreadsheet reads 50000.00 as a number.
        writer.writerow([text(cell, thousands=False).replace("\n", "; ") for cell in row])
    if not table.rows:
        writer.writerow([L.both(L.NO_DATA)])
    writer.writerow([])
