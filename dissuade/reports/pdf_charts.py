"""The report's charts, drawn with fpdf2's own rectangles, lines and text (no plotting library)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dissuade.domain.codes import LEVEL_LABELS, LEVELS, OUTCOME_LABELS, SCAM_LABELS, label
from dissuade.reports import labels as L
from dissuade.reports.model import Hour, Report
from dissuade.reports.pdf_doc import GRID, INK, LEVEL_COLOURS, MUTED, RULE, Colour, ReportPdf, hex_colour

MAX_BARS = 24
AXIS_FONT = 6.5
RATE_COLOURS: dict[str, Colour] = {"dissuasion": hex_colour("#2e7d32"), "in_time": hex_colour("#1565c0")}
OUTCOME_COLOURS: dict[str, Colour] = {
    "dissuaded": hex_colour("#2e7d32"), "already_lost": hex_colour("#c62828"),
    "brainwashed": hex_colour("#6a1b9a"), "callback": hex_colour("#00838f"),
    "no_answer": hex_colour("#78909c"), "busy": hex_colour("#78909c"), "powered_off": hex_colour("#78909c"),
}
OTHER_OUTCOME: Colour = hex_colour("#a1887f")
SCAM_BAR: Colour = hex_colour("#455a64")
TRACK: Colour = (236, 239, 241)

TITLES = {
    "arrivals": ("各时段接收预警（按等级）", "Warnings received by hour and level"),
    "outcomes": ("处置结果", "Call outcomes"),
    "rates": ("劝阻率与按时处置率", "Dissuasion rate and within-time-limit rate"),
    "scam_types": ("诈骗类型", "Warnings received by scam type"),
}
RATE_NAMES = {"dissuasion": ("劝阻率", "dissuaded / (dissuaded + already lost)"),
              "in_time": ("按时处置率", "first call within the time limit")}


@dataclass(frozen=True, slots=True)
class Bucket:
    """Consecutive hours merged into one bar, so that a long period still has readable bars."""

    label: str
    by_level: dict[str, int]
    dissuaded: int
    already_lost: int
    judged: int
    in_time: int

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def rate(self, which: str) -> float | None:
        if which == "dissuasion":
            decided = self.dissuaded + self.already_lost
            return self.dissuaded / decided if decided else None
        return self.in_time / self.judged if self.judged else None


def buckets(hours: Sequence[Hour]) -> list[Bucket]:
    if not hours:
        return []
    size = math.ceil(len(hours) / MAX_BARS)
    one_day = hours[0].start.date() == hours[-1].start.date()
    out = []
    for i in range(0, len(hours), size):
        group = hours[i:i + size]
        first = group[0].start
        name = f"{first:%H:%M}" if one_day else f"{first:%d}日{first:%H}时"
        out.append(Bucket(name, {lv.value: sum(h.by_level[lv.value] for h in group) for lv in LEVELS},
                          sum(h.dissuaded for h in group), sum(h.already_lost for h in group),
                          sum(h.judged for h in group), sum(h.in_time for h in group)))
    return out


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Axis ticks from 0 in steps of 1, 2 or 5 times a power of ten, at most `most` + 1 of them."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _title(pdf: ReportPdf, key: str, number: int, height: float) -> None:
    zh, en = TITLES[key]
    pdf.section_title((f"图{number}  {zh}", en), size=11, keep=height)


def _no_data(pdf: ReportPdf, x: float, y: float, w: float, h: float) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, h)
    pdf.text_at(x, y + h / 2 - 4, w, 8, L.both(L.NO_DATA, "  "), size=10, align="C", colour=MUTED)


def _y_axis(pdf: ReportPdf, x: float, y: float, w: float, h: float, ticks: Sequence[float],
            fmt: str = "{:g}") -> None:
    """Grid lines and their labels, left of the plot."""
    top = ticks[-1]
    for tick in ticks:
        ty = y + h - h * tick / top
        pdf.hline(x, x + w, ty, GRID if tick else RULE, 0.2 if tick else 0.3)
        pdf.text_at(x - 11, ty - 2, 10, 4, fmt.format(tick), size=AXIS_FONT, align="R", colour=MUTED)


def _legend(pdf: ReportPdf, right: float, y: float, items: Sequence[tuple[str, Colour]]) -> None:
    """Colour squares and their names, right-aligned at `right`."""
    pdf.set_font("cjk", size=7.5)
    widths = [pdf.get_string_width(name) + 7 for name, _ in items]
    x = right - sum(widths)
    for (name, colour), w in zip(items, widths, strict=True):
        pdf.fill_rect(x, y + 0.9, 3, 3, colour)
        pdf.text_at(x + 4, y, w - 4, 4.8, name, size=7.5)
        x += w


def _line_legend(pdf: ReportPdf, right: float, y: float) -> None:
    """The rate chart's key: each line's stroke and marker, then its name."""
    pdf.set_font("cjk", size=7.5)
    items = [(key, RATE_NAMES[key][0]) for key in ("dissuasion", "in_time")]
    widths = [pdf.get_string_width(name) + 12 for _, name in items]
    x = right - sum(widths)
    for (key, name), w in zip(items, widths, strict=True):
        colour, mid = RATE_COLOURS[key], y + 2.4
        pdf.set_draw_color(*colour)
        with pdf.local_context(line_width=0.5):
            if key == "dissuasion":
                pdf.set_dash_pattern(dash=1.2, gap=0.8)
            pdf.line(x, mid, x + 7, mid)
            pdf.set_dash_pattern()
            if key == "dissuasion":
                pdf.set_fill_color(255, 255, 255)
                pdf.circle(x + 3.5, mid, 1.1, style="DF")
            else:
                pdf.fill_rect(x + 2.7, mid - 0.8, 1.6, 1.6, colour)
        pdf.text_at(x + 8, y, w - 8, 4.8, name, size=7.5)
        x += w


def arrivals(pdf: ReportPdf, report: Report, number: int) -> None:
    """Stacked bars: warnings received per hour, coloured by level, emergency at the bottom."""
    height = 62.0
    _title(pdf, "arrivals", number, height)
    bars = buckets(report.hours)
    x0, y0 = pdf.l_margin + 12, pdf.get_y() + 7
    w, h = pdf.epw - 12, height - 17
    _legend(pdf, pdf.l_margin + pdf.epw, y0 - 6.5,
            [(label(LEVEL_LABELS, lv.value), LEVEL_COLOURS[lv.value]) for lv in LEVELS])
    if not bars or not any(b.total for b in bars):
        _no_data(pdf, x0, y0, w, h)
        pdf.set_y(y0 + height - 7)
        return
    ticks = nice_ticks(max(b.total for b in bars))
    _y_axis(pdf, x0, y0, w, h, ticks)
    slot = w / len(bars)
    bar = min(slot * 0.64, 14)
    every = max(1, math.ceil(11 / slot))  # one label per 11 mm at most
    for i, b in enumerate(bars):
        bx, top = x0 + i * slot + (slot - bar) / 2, y0 + h
        for lv in LEVELS:
            n = b.by_level[lv.value]
            if n:
                seg = h * n / ticks[-1]
                top -= seg
                pdf.fill_rect(bx, top, bar, seg, LEVEL_COLOURS[lv.value])
        if b.total:
            pdf.text_at(bx - 3, top - 4, bar + 6, 4, str(b.total), size=AXIS_FONT, align="C")
        if i % every == 0:
            pdf.text_at(x0 + i * slot - 4, y0 + h + 0.8, slot + 8, 4, b.label, size=AXIS_FONT, align="C",
                        colour=MUTED)
    pdf.set_y(y0 + h + 7)


def outcomes(pdf: ReportPdf, report: Report, number: int) -> None:
    """One bar per outcome, every outcome shown (a zero is information too), counts on top."""
    height = 58.0
    _title(pdf, "outcomes", number, height)
    x0, y0 = pdf.l_margin + 12, pdf.get_y() + 4
    w, h = pdf.epw - 12, height - 20
    counts = report.outcome_counts
    if not any(counts.values()):
        _no_data(pdf, x0, y0, w, h)
        pdf.set_y(y0 + height - 4)
        return
    ticks = nice_ticks(max(counts.values()))
    _y_axis(pdf, x0, y0, w, h, ticks)
    slot = w / len(counts)
    bar = min(slot * 0.6, 12)
    for i, (code, n) in enumerate(counts.items()):
        bx = x0 + i * slot + (slot - bar) / 2
        seg = h * n / ticks[-1]
        if n:
            pdf.fill_rect(bx, y0 + h - seg, bar, seg, OUTCOME_COLOURS.get(code, OTHER_OUTCOME))
        pdf.text_at(bx - 3, y0 + h - seg - 4, bar + 6, 4, str(n), size=7, align="C",
                    colour=INK if n else MUTED)
        for j, part in enumerate(label(OUTCOME_LABELS, code).split("/")):
            text = part + ("/" if j == 0 and "/" in label(OUTCOME_LABELS, code) else "")
            pdf.text_at(x0 + i * slot, y0 + h + 1 + j * 3.6, slot, 3.6, text, size=7, align="C")
    pdf.set_y(y0 + h + 10)


def rates(pdf: ReportPdf, report: Report, number: int) -> None:
    """The period's two rates as gauges, then each hour's rates as lines (gaps where undefined)."""
    height = 70.0
    _title(pdf, "rates", number, height)
    bars = buckets(report.hours)
    totals = {"dissuasion": (sum(b.dissuaded for b in bars), sum(b.dissuaded + b.already_lost for b in bars)),
              "in_time": (sum(b.in_time for b in bars), sum(b.judged for b in bars))}
    values = {"dissuasion": report.figures["dissuasion_rate"], "in_time": report.figures["within_time_limit_rate"]}
    y = pdf.get_y() + 1
    for key in ("dissuasion", "in_time"):
        value = getattr(values[key], "value", None)
        zh, en = RATE_NAMES[key]
        pdf.text_at(pdf.l_margin, y, 24, 7, zh, size=9.5)
        track_x, track_w = pdf.l_margin + 26, pdf.epw - 26 - 40
        pdf.fill_rect(track_x, y + 1, track_w, 5, TRACK)
        if value is not None:
            pdf.fill_rect(track_x, y + 1, track_w * max(0.0, min(1.0, value)), 5, RATE_COLOURS[key])
        part, whole = totals[key]
        shown = L.NONE_TEXT if value is None else f"{value:.1%}"
        with pdf.bold(0.15):
            pdf.text_at(track_x + track_w + 2, y, 18, 7, shown, size=10, align="R")
        pdf.text_at(track_x + track_w + 21, y, 19, 7, f"{part}/{whole}" if whole else "", size=7.5,
                    colour=MUTED)
        pdf.text_at(track_x, y + 6.2, track_w, 3.5, en, size=6, colour=MUTED)
        y += 11
    x0, y0 = pdf.l_margin + 12, y + 6
    w, h = pdf.epw - 12, height - (y0 - pdf.get_y()) - 8
    _line_legend(pdf, pdf.l_margin + pdf.epw, y0 - 6)
    if not any(b.rate(k) is not None for b in bars for k in RATE_COLOURS):
        _no_data(pdf, x0, y0, w, h)
        pdf.set_y(y0 + h + 2)
        return
    _y_axis(pdf, x0, y0, w, h, [0.0, 0.25, 0.5, 0.75, 1.0], "{:.0%}")
    slot = w / len(bars)
    every = max(1, math.ceil(11 / slot))
    for i, b in enumerate(bars):
        if i % every == 0:
            pdf.text_at(x0 + i * slot - 4, y0 + h + 1.8, slot + 8, 4, b.label, size=AXIS_FONT, align="C",
                        colour=MUTED)
    # In-time first, solid with squares; dissuasion over it, dashed with rings: both stay visible
    # where they coincide.
    for key in ("in_time", "dissuasion"):
        colour = RATE_COLOURS[key]
        points = [(x0 + (i + 0.5) * slot, y0 + h - h * rate)
                  for i, b in enumerate(bars) if (rate := b.rate(key)) is not None]
        runs = _runs([(i, b.rate(key)) for i, b in enumerate(bars)])
        pdf.set_draw_color(*colour)
        with pdf.local_context(line_width=0.45 if key == "in_time" else 0.6):
            if key == "dissuasion":
                pdf.set_dash_pattern(dash=1.6, gap=1.0)
            for first, last in runs:
                for i in range(first, last):
                    ra, rb = bars[i].rate(key), bars[i + 1].rate(key)
                    assert ra is not None and rb is not None
                    pdf.line(x0 + (i + 0.5) * slot, y0 + h - h * ra, x0 + (i + 1.5) * slot, y0 + h - h * rb)
            pdf.set_dash_pattern()
            for px, py in points:
                if key == "in_time":
                    pdf.fill_rect(px - 0.9, py - 0.9, 1.8, 1.8, colour)
                else:
                    pdf.set_fill_color(255, 255, 255)
                    pdf.set_line_width(0.5)
                    pdf.circle(px, py, 1.3, style="DF")
    pdf.set_y(y0 + h + 7)


def _runs(values: Sequence[tuple[int, float | None]]) -> list[tuple[int, int]]:
    """(first, last) index of each stretch of consecutive defined values."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, value in values:
        if value is None:
            if start is not None:
                runs.append((start, i - 1))
            start = None
        elif start is None:
            start = i
    if start is not None:
        runs.append((start, values[-1][0]))
    return runs


def scam_types(pdf: ReportPdf, report: Report, number: int) -> None:
    """Horizontal bars, the most frequent type on top, with the count and its outcomes."""
    rows = report.scam_counts
    row_h = 6.2
    height = max(1, len(rows)) * row_h + 4
    _title(pdf, "scam_types", number, height)
    if not rows:
        _no_data(pdf, pdf.l_margin, pdf.get_y() + 1, pdf.epw, 20)
        pdf.set_y(pdf.get_y() + 24)
        return
    outcomes = {r[0]: (r[3], r[4]) for r in report.scam_types.rows}
    label_w, tail_w = 40.0, 36.0
    bar_w = pdf.epw - label_w - tail_w
    most = max(n for _, n in rows)
    top = pdf.get_y() + 1
    for i, (code, n) in enumerate(rows):
        y = top + i * row_h
        name = label(SCAM_LABELS, code)
        pdf.text_at(pdf.l_margin, y, label_w - 2, row_h, name, size=8, align="R")
        length = max(0.6, bar_w * n / most)
        pdf.fill_rect(pdf.l_margin + label_w, y + 1.2, length, row_h - 2.4, SCAM_BAR)
        pdf.text_at(pdf.l_margin + label_w + length + 1.5, y, 10, row_h, str(n), size=8)
        dissuaded, lost = outcomes.get(name, (0, 0))
        pdf.text_at(pdf.l_margin + pdf.epw - tail_w, y, tail_w, row_h,
                    f"劝阻 {dissuaded} · 被骗 {lost}", size=7, align="R", colour=MUTED)
    bottom = top + len(rows) * row_h
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin + label_w, top, pdf.l_margin + label_w, bottom)
    pdf.set_y(bottom + 3)
