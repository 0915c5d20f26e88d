"""The prepared, frozen view rules read: each distinct rendering split into lines tied to the file and line
the author wrote them in, the blocks of pandoc's parse placed on those lines (headings, list items), and
the paragraph units the text rules read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jpub import numbering
from jpub.checks import regions
from jpub.checks.blocks import Block
from jpub.checks.model import Edit, Place
from jpub.checks.placing import SourceFile
from jpub.checks.units import HEADING, Unit
from jpub.source_template import Origin

_ITEM = regions.ITEM
_ROW = re.compile(r"^\s*\|")
_DIV = re.compile(r"^\s*:::")
GLYPHS = "◆◇●○■□・▶▷"  # marks that may stand before a number in a list item: - ◆ 第1章 …
# 第N部/章/節/項 and the space after it at the start of a heading, list item or line
NUMBER_PREFIX = re.compile(rf"^\s*(?:[-*+]\s+|#{{1,6}}\s+)?(?:[{GLYPHS}][ \u3000]*)?(?:\*\*)?第[0-9０-９〇一二三四五六七八九十百]+[部章節項](?:\*\*)? +")
_PROSE_REFERENCE = "のにはをがとでへもや"  # 第1部の構成: a reference in prose, not a numbered title


@dataclass(frozen=True)
class Line:
    index: int  # 0-based rendered line
    text: str
    prose: str  # text with inline code and HTML comments blanked out (same length)
    origin: Origin  # the file and line it was written in
    code: bool  # in a fenced or indented code block, or an HTML comment: not prose


@dataclass(frozen=True)
class Heading:
    """A heading as pandoc parsed it (ATX or setext), at the rendered line of its text."""

    index: int
    level: int
    text: str  # as the editions print it
    start: int  # column of the text in the line (0-based)
    unit: numbering.UnitNumber | None
    parent: int | None  # position in Doc.headings of the enclosing numbered heading (outer unit)


@dataclass(frozen=True)
class Item:
    """The text of one list item as pandoc parsed it, at the rendered line where it starts."""

    index: int
    start: int  # column of the item's text
    text: str


@dataclass(frozen=True)
class ItemList:
    """A list as pandoc parsed it: its items' texts, and the paragraph right above it (「第1部の構成」)."""

    items: tuple[Item, ...]
    caption: str


@dataclass(frozen=True)
class Doc:
    formats: tuple[str, ...]
    files: tuple[SourceFile, ...]  # the source (0), then the files it includes or imports
    root: Path  # the source's folder: image paths are relative to it
    lines: tuple[Line, ...]
    blocks: tuple[Block, ...]  # pandoc's parse, in document order, placed on the lines
    headings: tuple[Heading, ...]  # the body's headings (not the cover's), from the parse
    lists: tuple[ItemList, ...]  # from the parse
    heading_lines: tuple[int, ...]  # lines written as ATX headings, whether pandoc made headings of them or not
    units: tuple[Unit, ...]
    literal_runs: Mapping[str, tuple[str, ...]]  # unit text → Str nodes pandoc left with ** or __
    ladder: tuple[str, ...] = ()  # the document's own order of item numbers (publish: numbering)
    schemes: tuple[str, str] = ("", "")  # publish: figure-number and table-number ("" = written by hand)

    def at(self, index: int, column: int, needle: str | None = None) -> Place:
        """Where a 0-based position in a rendered line was written (1-based line and column)."""
        line = self.lines[index]
        origin = line.origin
        written = self.written(origin)
        if written == line.text:
            return Place(origin.file, origin.line, column + 1, origin.via)
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
                return Place(origin.file, origin.line, pos + 1, origin.via)
        return Place(origin.file, origin.line, 1, origin.via)

    def edit(self, index: int, column: int, old: str, new: str) -> Edit | None:
        """The edit that replaces ``old`` at a 0-based position of a rendered line, in the file it was written in;
        None when it cannot be found there as written (it came from a {{ value }}, say)."""
        where = self.at(index, column, old)
        written = self.written(where)
        if written[where.column - 1 : where.column - 1 + len(old)] != old:
            return None
        return Edit(where.line, where.column, old, new)

    def written(self, origin: Origin | Place) -> str:
        """The line as the author wrote it."""
        file = self.files[origin.file] if origin.file < len(self.files) else self.files[0]
        return file.line(origin.line)

    def unit_text(self, unit: Unit) -> str:
        return unit_text(self, unit)

    def unit_lines(self, unit: Unit) -> list[tuple[int, int, str]]:
        """(line index, column offset, text) of each line of a unit; a cell's own columns only."""
        out = []
        for index in range(unit.first, unit.last + 1):
            prose = self.lines[index].prose
            if unit.spans:
                start, end = unit.spans[index - unit.first]
                out.append((index, start, prose[start:end]))
            else:
                out.append((index, 0, prose))
        return out


def edits(*found: Edit | None) -> tuple[Edit, ...]:
    return tuple(edit for edit in found if edit is not None)


def unit_text(doc: Doc, unit: Unit) -> str:
    return "\n".join(text.strip() for _i, _c, text in doc.unit_lines(unit))


def numbered(text: str) -> numbering.UnitNumber | None:
    """The 第N○ number of a heading or list item; 「第1部の構成」 is prose, not a number, 「第1章」 alone is."""
    unit = numbering.parse(text)
    if unit and unit.title and not unit.separator and unit.title[0] in _PROSE_REFERENCE:
        return None
    return unit


def build_lines(texts: list[str], origins: tuple[Origin, ...]) -> tuple[Line, ...]:
    lines = []
    fallback = origins[-1] if origins else Origin(0, 1)
    for index, (text, region) in enumerate(zip(texts, regions.classify(texts), strict=True)):
        origin = origins[index] if index < len(origins) else fallback
        lines.append(Line(index, text, region.prose, origin, region.code))
    return tuple(lines)


def build_headings(blocks: tuple[Block, ...], lines: tuple[Line, ...]) -> tuple[Heading, ...]:
    found: list[tuple[int, int, str, int, numbering.UnitNumber | None]] = []
    previous = 0
    for block in blocks:
        if block.kind != "Header" or block.cover:
            continue
        index = block.first if block.first >= 0 else previous
        previous = index
        written = lines[index].text if index < len(lines) else ""
        atx = HEADING.match(written)
        start = atx.start(2) if atx and atx.group(2) else len(written) - len(written.lstrip())
        found.append((index, block.level, block.text, start, _unit(block.text, written[start:])))
    return _with_parents(found)


def _unit(text: str, written: str) -> numbering.UnitNumber | None:
    """The number as pandoc read it, with the separator as written (pandoc joins spaces into one)."""
    unit = numbered(text)
    raw = numbering.parse(written)
    if unit and raw and (raw.unit, raw.value, raw.digits) == (unit.unit, unit.value, unit.digits):
        return numbering.UnitNumber(unit.unit, unit.value, unit.digits, raw.separator, unit.title)
    return unit


def _with_parents(found: list[tuple[int, int, str, int, numbering.UnitNumber | None]]) -> tuple[Heading, ...]:
    """The enclosing numbered heading of each heading: 章 closes 章/節/項; an unnumbered heading closes deeper ones."""
    headings: list[Heading] = []
    open_units: dict[int, int] = {}  # unit position in UNITS → position in headings
    for index, level, text, start, unit in found:
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


def build_lists(blocks: tuple[Block, ...], lines: tuple[Line, ...]) -> tuple[ItemList, ...]:
    groups: dict[int, list[Item]] = {}
    captions: dict[int, str] = {}
    for position, block in enumerate(blocks):
        if block.item is None or block.first < 0 or block.kind not in ("Plain", "Para"):
            continue
        if block.item[0] not in groups and position and blocks[position - 1].kind == "Para" and blocks[position - 1].item is None:
            captions[block.item[0]] = blocks[position - 1].text
        written = lines[block.first].text
        marker = _ITEM.match(written)
        start = marker.start(3) if marker else block.column
        groups.setdefault(block.item[0], []).append(Item(block.first, start, block.text))
    return tuple(ItemList(tuple(items), captions.get(number, "")) for number, items in groups.items())


def build_heading_lines(lines: tuple[Line, ...]) -> tuple[int, ...]:
    return tuple(line.index for line in lines if not line.code and HEADING.match(line.text))


def stands_alone(text: str) -> bool:
    """A line after which a heading may follow directly: blank, a heading, a div fence or a table row."""
    return not text.strip() or bool(HEADING.match(text) or _DIV.match(text) or _ROW.match(text))
