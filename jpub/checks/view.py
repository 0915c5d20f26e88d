"""The prepared, frozen view rules read: each distinct rendering split into lines, headings, list items
and paragraph units, every line tied to the line of the source file the author edits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from jpub import numbering
from jpub.checks import regions
from jpub.checks.placing import SourceFile, refine_lines
from jpub.source import Source
from jpub.source_template import Rendered

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_ITEM = regions.ITEM
_ROW = re.compile(r"^\s*\|")
_DIV = re.compile(r"^\s*:::")
GLYPHS = "◆◇●○■□・▶▷"  # marks that may stand before a number in a list item: - ◆ 第1章 …
_PROSE_REFERENCE = "のにはをがとでへもや"  # 第1部の構成: a reference in prose, not a numbered title


@dataclass(frozen=True)
class Line:
    index: int  # 0-based rendered line
    text: str
    prose: str  # text with inline code and HTML comments blanked out (same length)
    source: int  # 1-based line in the source file
    code: bool  # in a fenced or indented code block, or an HTML comment: not prose


@dataclass(frozen=True)
class Heading:
    index: int
    level: int
    text: str  # without the #s and a trailing {#id}
    start: int  # column of the text in the line (0-based)
    unit: numbering.UnitNumber | None
    parent: int | None  # position in Doc.headings of the enclosing numbered heading (outer unit)


@dataclass(frozen=True)
class Item:
    index: int
    indent: int
    start: int  # column of the item's text
    text: str


@dataclass(frozen=True)
class Unit:
    """A paragraph, list item (with its continuation lines), heading or table row."""

    kind: str  # "para" | "item" | "heading" | "row"
    first: int
    last: int


@dataclass(frozen=True)
class Doc:
    formats: tuple[str, ...]
    source: SourceFile
    lines: tuple[Line, ...]
    headings: tuple[Heading, ...]
    items: tuple[Item, ...]
    units: tuple[Unit, ...]
    literal_runs: Mapping[str, tuple[str, ...]]  # unit text → Str nodes pandoc left with ** or __

    def at(self, index: int, column: int, needle: str | None = None) -> tuple[int, int]:
        """(source line, 1-based column) of a 0-based position in a rendered line."""
        line = self.lines[index]
        written = self.source.line(line.source)
        if written == line.text:
            return line.source, column + 1
        if needle:
            nth = line.text.count(needle, 0, max(column, 0))
            pos = -1
            for _ in range(nth + 1):
                pos = written.find(needle, pos + 1)
                if pos < 0:
                    break
            if pos < 0:
                pos = written.find(needle)
            if pos >= 0:
                return line.source, pos + 1
        return line.source, 1

    def unit_text(self, unit: Unit) -> str:
        return unit_text(self, unit)


def unit_text(doc: Doc, unit: Unit) -> str:
    return "\n".join(doc.lines[i].prose.strip() for i in range(unit.first, unit.last + 1))


def numbered(text: str) -> numbering.UnitNumber | None:
    """The 第N○ number of a heading or list item; 「第1部の構成」 is prose, not a number, 「第1章」 alone is."""
    unit = numbering.parse(text)
    if unit and unit.title and not unit.separator and unit.title[0] in _PROSE_REFERENCE:
        return None
    return unit


def build_lines(rendered: Rendered, source: Source, file: SourceFile) -> tuple[Line, ...]:
    numbers = refine_lines(rendered, source, file)
    texts = rendered.text.split("\n")
    lines = []
    for index, (text, region) in enumerate(zip(texts, regions.classify(texts), strict=True)):
        number = numbers[index] if index < len(numbers) else (numbers[-1] if numbers else source.body_line)
        lines.append(Line(index, text, region.prose, number, region.code))
    return tuple(lines)


def build_headings(lines: tuple[Line, ...]) -> tuple[Heading, ...]:
    found: list[tuple[int, int, str, int]] = []
    for line in lines:
        match = None if line.code else _HEADING.match(line.text)
        if match:
            raw = match.group(2) or ""
            text = _CLOSING_HASHES.sub("", _ATTRIBUTES.sub("", raw)).strip()
            found.append((line.index, len(match.group(1)), text, match.start(2) if match.group(2) else len(line.text)))
    return _with_parents(found)


def _with_parents(found: list[tuple[int, int, str, int]]) -> tuple[Heading, ...]:
    """The enclosing numbered heading of each heading: 章 closes 章/節/項; an unnumbered heading closes deeper ones."""
    headings: list[Heading] = []
    open_units: dict[int, int] = {}  # unit position in UNITS → position in headings
    for index, level, text, start in found:
        unit = numbered(text)
        if unit is None:
            for rank in [r for r, h in open_units.items() if headings[h].level >= level]:
                del open_units[rank]
            parent = max(open_units.items())[1] if open_units else None
        else:
            rank = numbering.UNITS.index(unit.unit)
            for r in [r for r in open_units if r >= rank]:
                del open_units[r]
            outer = [r for r in open_units if r < rank]
            parent = open_units[max(outer)] if outer else None
            open_units[rank] = len(headings)
        headings.append(Heading(index, level, text, start, unit, parent))
    return tuple(headings)


def build_items(lines: tuple[Line, ...]) -> tuple[Item, ...]:
    items = []
    for line in lines:
        match = None if line.code else _ITEM.match(line.text)
        if match:
            items.append(Item(line.index, len(match.group(1)), match.start(3), match.group(3)))
    return tuple(items)


def build_units(lines: tuple[Line, ...]) -> tuple[Unit, ...]:
    units: list[Unit] = []
    current: list[int] = []  # [kind index, first, last]
    kind = ""

    def close() -> None:
        if current:
            units.append(Unit(kind, current[0], current[-1]))
            current.clear()

    for line in lines:
        text = line.text
        if line.code or not text.strip() or _DIV.match(text):
            close()
            continue
        if _HEADING.match(text) or _ROW.match(text):
            close()
            units.append(Unit("heading" if _HEADING.match(text) else "row", line.index, line.index))
            continue
        if _ITEM.match(text):
            close()
            kind = "item"
        elif not current:
            kind = "para"
        current.append(line.index)
    close()
    return tuple(units)


def stands_alone(text: str) -> bool:
    """A line after which a heading may follow directly: blank, a heading, a div fence or a table row."""
    return not text.strip() or bool(_HEADING.match(text) or _DIV.match(text) or _ROW.match(text))
