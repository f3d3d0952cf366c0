"""The report's PDF page: A4, the embedded Chinese font, colours, bold type and the page footer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fpdf import FPDF

from dissuade.fonts import CjkFont
from dissuade.reports.labels import Heading

FONT = "cjk"
MARGIN = 15.0
Colour = tuple[int, int, int]

INK: Colour = (33, 33, 33)
MUTED: Colour = (110, 110, 110)
RULE: Colour = (200, 200, 200)
GRID: Colour = (228, 228, 228)
HEADER_FILL: Colour = (221, 228, 238)
ZEBRA: Colour = (246, 248, 250)
LEVEL_COLOURS: dict[str, Colour] = {
    "emergency": (0xC6, 0x28, 0x28),
    "high": (0xEF, 0x6C, 0x00),
    "medium": (0xF9, 0xA8, 0x25),
    "low": (0x15, 0x65, 0xC0),
}


def hex_colour(code: str) -> Colour:
    code = code.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


class ReportPdf(FPDF):
    """A4 portrait with the CJK font embedded and "第 n/N 页" at the foot of every page."""

    def __init__(self, font: CjkFont, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT, "", str(font.path), collection_font_number=font.face)
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.c_margin = 0.0  # every box is placed by hand; fpdf's 1 mm inner margin only steals width
        self.set_auto_page_break(True, margin=MARGIN + 2)
        self.set_creator("dissuade")
        self.set_font(FONT, size=9)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self.footer_text}    第 {self.page_no()}/{{nb}} 页", align="C")
        self.set_text_color(*INK)

    @contextmanager
    def bold(self, stroke: float = 0.18) -> Iterator[None]:
        """The font has no bold face: draw the outline too, in the text's colour."""
        colour = self.text_color
        with self.local_context(text_mode="FILL_STROKE", line_width=stroke, draw_color=colour):
            yield

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page()

    def section_title(self, heading: Heading, *, size: float = 12.5, keep: float = 30) -> None:
        """A section's title (Chinese, then English in grey), kept with `keep` mm of what follows."""
        self.ensure(12 + keep)
        if self.get_y() > self.t_margin + 1:  # air above a title, except at the top of a page
            self.ln(4)
        self.set_font(FONT, size=size)
        with self.bold(0.2):
            width = self.get_string_width(heading[0])
            self.cell(width + 2, 8, heading[0])
        self.set_font(FONT, size=9)
        self.set_text_color(*MUTED)
        self.cell(0, 8.6, heading[1], new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def fill_rect(self, x: float, y: float, w: float, h: float, colour: Colour) -> None:
        self.set_fill_color(*colour)
        self.rect(x, y, w, h, style="F")

    def hline(self, x1: float, x2: float, y: float, colour: Colour = RULE, width: float = 0.2) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(width)
        self.line(x1, y, x2, y)

    def text_at(self, x: float, y: float, w: float, h: float, value: str, *, size: float,
                align: str = "L", colour: Colour = INK) -> None:
        """One line of text in the box (x, y, w, h), vertically centred."""
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.set_xy(x, y)
        self.cell(w, h, value, align=align)
        self.set_text_color(*INK)
