"""The handover report's staffing forecast: officers each hour of the shift handed over to, with
people only and with the robot's first pass, and what it rests on. From the `forecast` key the
callers add to the report's data (`Store.staffing_forecast`'s dict): the dashboard's data stays
without it, since the forecast reads weeks of history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dissuade.reports.labels import Heading
from dissuade.reports.model import Cell, Table, When, local

TITLE: Heading = ("下一班排班预测", "Staffing forecast, next shift")
COLUMNS: dict[str, Heading] = {
    "hour": ("时段", "Hour"),
    "warnings": ("预计预警", "Warnings expected"),
    "people_calls": ("民警通话", "People's calls"),
    "officers": ("所需民警", "Officers needed"),
    "people_calls_with_robot": ("机器人首呼后民警通话", "People's calls, with robot"),
    "officers_with_robot": ("机器人首呼后所需民警", "Officers, with robot"),
    "robot_calls": ("机器人外呼", "Robot calls"),
}


def basis_text(data: Mapping[str, Any]) -> str:
    """How much history the forecast used and what it assumed, in Chinese / English."""
    h, r = data["history"], data["rates"]
    said = {True: "实测 / measured", False: "估计 / assumed"}
    measured = r["measured"]
    return (f"目标 / target {data['target']:.0%}；依据 / based on {h['days']:.1f} 天 / days "
            f"（{h['warnings']:,} 条预警 / warnings，{h['people_calls']:,} 次民警通话 / people's "
            f"calls，{h['robot_calls']:,} 次机器人外呼 / robot calls）；通话 / handle "
            f"{r['handle_seconds']:.0f} s（{said[measured['handle_seconds']]}），每条预警 / per "
            f"warning {r['calls_per_warning']:.2f}（{said[measured['calls_per_warning']]}），"
            f"机器人确认率 / robot confirm {r['robot_confirm']:.0%}"
            f"（{said[measured['robot_confirm']]}）")


def table(data: Mapping[str, Any] | None) -> Table | None:
    """The forecast as a report table (its last rows: the totals and what it rests on), or None
    when the report's data has no forecast."""
    if not data or not data.get("hours"):
        return None
    tz = str(data.get("timezone") or "Asia/Shanghai")
    rows: list[tuple[Cell, ...]] = []
    for h in data["hours"]:
        rows.append((When(local(h["start"], tz)), round(sum(h["arrivals"].values()), 1),
                     round(float(h["people_calls"]), 1), int(h["officers"]),
                     round(float(h["people_calls_with_robot"]), 1), int(h["officers_with_robot"]),
                     round(float(h["robot_calls"]), 1)))
    rows.append(("人·小时 / officer-hours", None, None, int(data["officer_hours"]), None,
                 int(data["officer_hours_with_robot"]), None))
    rows.append((basis_text(data), None, None, None, None, None, None))
    return Table("forecast", TITLE, tuple(COLUMNS), tuple(COLUMNS.values()), tuple(rows))


def pdf_section(pdf: Any, forecast: Table | None, year: int) -> None:
    """The forecast's table in the PDF, its basis under it in small print."""
    if forecast is None:
        return
    from dissuade.reports import pdf_tables
    from dissuade.reports.pdf_doc import FONT, MUTED

    hours = Table(forecast.key, forecast.title, forecast.keys, forecast.headings,
                  forecast.rows[:-1])
    pdf_tables.draw(pdf, forecast.title, pdf_tables.columns_of(hours, (22, 16, 16, 16, 22, 22, 16)),
                    pdf_tables.rows_of(hours, year))
    pdf.set_font(FONT, size=6.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(pdf.epw, 3.4, str(forecast.rows[-1][0]))
    pdf.set_text_color(0, 0, 0)


def with_forecast(source: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The report's data with the forecast of the shift that starts where the report ends
    (asked of `source`, a lead's); without it when the source cannot give one (a hub of an
    older version), so the report is still written."""
    from dissuade.domain import timeutil
    from dissuade.domain.errors import DissuadeError

    out = dict(data)
    try:
        out["forecast"] = source.staffing_forecast(start=timeutil.parse(data["to"]))
    except DissuadeError:
        out.pop("forecast", None)
    return out
