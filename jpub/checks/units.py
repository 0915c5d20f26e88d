"""The paragraph units the text rules read: paragraphs and list items with their continuation lines,
headings, table rows, and the cells of grid tables (whose text may run over several lines)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jpub.checks import regions

if TYPE_CHECKING:
    from jpub.checks.view import Line

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = regions.ITEM
_ROW = re.compile(r"^\s*\|")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]*\+)+\s*$")
_GRID_LINE = re.compile(r"^\s*[|+]")
_DIV = re.compile(r"^\s*:::")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


@dataclass(frozen=True)
class Unit:
    """A paragraph, list item (with its continuation lines), heading, table row or grid-table cell."""

    kind: str  # "para" | "item" | "heading" | "row" | "cell"
    first: int
    last: int
    spans: tuple[tuple[int, int], ...] = ()  # a grid-table cell: the characters it owns of each of its lines


def build_units(lines: tuple[Line, ...]) -> tuple[Unit, ...]:
    units: list[Unit] = []
    current: list[int] = []  # [kind index, first, last]
    kind = ""
    grid: list[int] = []

    def close() -> None:
        if current:
            units.append(Unit(kind, current[0], current[-1]))
            current.clear()

    for line in lines:
        text = line.text
        if grid and not line.code and _GRID_LINE.match(text):
            grid.append(line.index)
            continue
        if grid:
            units.extend(_grid_cells(lines, grid))
            grid = []
        if line.code or not text.strip() or _DIV.match(text):
            close()
            continue
        if _GRID_RULE.match(text):
            close()
            grid = [line.index]
            continue
        if current and kind == "para" and _SETEXT.match(text):
            title = current.pop()  # the line above a setext underline is a heading of its own
            close()
            units.append(Unit("heading", title, title))
            continue
        if HEADING.match(text) or _ROW.match(text):
            close()
            units.append(Unit("heading" if HEADING.match(text) else "row", line.index, line.index))
            continue
        if _ITEM.match(text):
            close()
            kind = "item"
        elif not current:
            kind = "para"
        current.append(line.index)
    if grid:
        units.extend(_grid_cells(lines, grid))
    close()
    return tuple(units)


def _grid_cells(lines: tuple[Line, ...], grid: list[int]) -> list[Unit]:
    """A grid table's cells: between two rule lines (+---+---+), each column the rules mark off is one cell,
    whose text may run over several lines. Columns are counted as pandoc counts them: a Japanese character
    is two wide."""
    cells: list[Unit] = []
    bounds: list[int] = []
    rows: list[int] = []

    def close_row() -> None:
        for left, right in zip(bounds, bounds[1:], strict=False):
            spans = tuple(_span(lines[i].text, left, right) for i in rows)
            if rows and any(lines[i].text[a:b].strip() for i, (a, b) in zip(rows, spans, strict=True)):
                cells.append(Unit("cell", rows[0], rows[-1], spans))
        rows.clear()

    for index in grid:
        text = lines[index].text
        if _GRID_RULE.match(text):
            close_row()
            bounds = [k for k, ch in enumerate(text) if ch == "+"]
        else:
            rows.append(index)
    close_row()
    return cells


def _span(text: str, left: int, right: int) -> tuple[int, int]:
    """The characters of a line between two display columns (exclusive), wide characters counting two."""
    column, start, end = 0, len(text), len(text)
    for index, ch in enumerate(text):
        if column > left and start == len(text):
            start = index
        if column >= right:
            end = index
            break
        column += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return min(start, end), end
