"""The print page grid (版面): a whole number of characters per line and of lines per page.

Margins are derived from the grid, not the other way round, so that a line of full-width text fills
the measure exactly and the text block holds a whole number of lines (JLReq 2.4: 字詰め × 行数).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Grid:
    page_width_mm: float = 210.0  # A4
    page_height_mm: float = 297.0
    font_pt: float = 10.5  # 本文 明朝
    line_height: float = 1.7  # 行送り = 1.7 × 文字サイズ
    chars_per_line: int = 40  # 字詰め
    lines_per_page: int = 38  # 行数
    head_share: float = 0.54  # part of the vertical white space above the block (the rest goes below)
    head_gap_mm: float = 5.0  # from the running head's rule down to the first line
    head_rule_pt: float = 0.4

    @property
    def measure_mm(self) -> float:
        return self.chars_per_line * self.font_pt * MM_PER_PT

    @property
    def block_height_mm(self) -> float:
        return self.lines_per_page * self.font_pt * self.line_height * MM_PER_PT

    @property
    def inner_margin_mm(self) -> float:
        return (self.page_width_mm - self.measure_mm) / 2

    @property
    def top_margin_mm(self) -> float:
        return (self.page_height_mm - self.block_height_mm) * self.head_share

    @property
    def bottom_margin_mm(self) -> float:
        return self.page_height_mm - self.block_height_mm - self.top_margin_mm

    def css_margin(self) -> str:
        """The ``@page`` margin (top right bottom left) in pt, rounded down to 0.001 pt.

        The page area starts at the running head's rule (its border-top), ``head_gap_mm`` above the block.

        Rounding down leaves the measure a hair wider than 40 characters, never narrower: a measure
        short by 0.01 pt would push the 40th character of every full line to the next one.
        """

        def pt(mm: float) -> str:
            return f"{math.floor(mm / MM_PER_PT * 1000) / 1000:.3f}pt"

        side = pt(self.inner_margin_mm)
        top = self.top_margin_mm - self.head_gap_mm - self.head_rule_pt * MM_PER_PT
        return f"{pt(top)} {side} {pt(self.bottom_margin_mm)} {side}"

    @property
    def landscape(self) -> bool:
        return self.page_width_mm > self.page_height_mm

    @property
    def measure_pt(self) -> float:
        return self.chars_per_line * self.font_pt


GRID = Grid()
# The landscape pages of ::: landscape blocks: A4 turned, 60 characters × 24 lines of the same type, the same
# running head and folio. Its margins come from its grid as the portrait page's do.
LANDSCAPE_GRID = replace(GRID, page_width_mm=GRID.page_height_mm, page_height_mm=GRID.page_width_mm, chars_per_line=60, lines_per_page=24)


@dataclass(frozen=True)
class HeadingStyle:
    """A heading role's size, and what its rule and padding take from the measure on the left."""

    size_pt: float
    indent_pt: float = 0.0

    def fits_one_line(self, text: str, grid: Grid = GRID) -> bool:
        """Whether ``text`` surely fits on one line of the full measure, so it can never break and needs no
        phrase spans: a wide character counted a full em (palt only narrows it), any other 1.25 em (the
        widest Latin capitals with the 和欧間 margins on both sides come to about 1.1 em)."""
        ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 1.25 for ch in text)
        return ems * self.size_pt <= grid.measure_mm / MM_PER_PT - self.indent_pt


# By role, not level: 部 (any level above 章), 章, 節, and 項 and below. The stylesheet takes its sizes from here.
HEADINGS = {
    "part": HeadingStyle(17.0),
    "chapter": HeadingStyle(14.0, indent_pt=3 / MM_PER_PT + 3.0),  # padding-left 3mm, border-left 3pt
    "section": HeadingStyle(12.0),
    "item": HeadingStyle(10.5),
}


def heading_role(level: int, chapter_level: int) -> str:
    if level < chapter_level:
        return "part"
    return {chapter_level: "chapter", chapter_level + 1: "section"}.get(level, "item")
