"""The prepared, frozen view rules read: each distinct rendering split into lines, headings, list items
and paragraph units, every line tied to the line of the source file the author edits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import numbering
from ..source import Source
from ..templating import Rendered, mark_lines

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])[ \t]+(.*)$")
_ROW = re.compile(r"^\s*\|")
_DIV = re.compile(r"^\s*:::")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_PROSE_REFERENCE = "のにはをがとでへもや"  # 第1部の構成: a reference in prose, not a numbered title
SEARCH_WINDOW = 200  # source lines looked at when placing one rendered line


@dataclass(frozen=True)
class SourceFile:
    display: str
    directory: Path
    lines: tuple[str, ...]  # every line of the file, index 0 = line 1

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""


@dataclass(frozen=True)
class Line:
    index: int  # 0-based rendered line
    text: str
    prose: str  # text with inline code blanked out (same length)
    source: int  # 1-based line in the source file
    code: bool  # inside a fenced code block


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
    """The 第N○ number of a heading or list item; 「第1部の構成」 is prose, not a number."""
    unit = numbering.parse(text)
    if unit and not unit.separator and unit.title[:1] in _PROSE_REFERENCE:
        return None
    return unit


def source_file(source: Source) -> SourceFile:
    try:
        text = source.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        lines = tuple(text.split("\n"))
    except (OSError, UnicodeDecodeError):
        lines = ("",) * (source.body_line - 1) + tuple(source.body.split("\n"))
    return SourceFile(source.display, source.path.parent, lines)


def refine_lines(rendered: Rendered, source: Source, file: SourceFile) -> tuple[int, ...]:
    """Place rendered lines the template marker could not (blank lines, lines starting with {{ }}).

    A rendered line maps to the last marker seen; the lines after it in the same run came from
    unmarked source lines between that marker and the next: blank lines or lines with an expression.
    """
    marked_text = mark_lines(source.body, source.body_line).split("\n")
    body = source.body.split("\n")
    marked = {source.body_line + k for k, (a, b) in enumerate(zip(marked_text, body, strict=False)) if a != b}
    texts = rendered.text.split("\n")
    mapped = list(rendered.lines)
    end = source.body_line + len(body)
    out = list(mapped)
    i = 0
    while i < len(mapped):
        s, j = mapped[i], i
        while j + 1 < len(mapped) and mapped[j + 1] == s:
            j += 1
        limit = min(mapped[j + 1] if j + 1 < len(mapped) else end, s + SEARCH_WINDOW)
        first = s + 1 if s in marked else s
        start = i + 1 if s in marked else i
        pointer = first
        for k in range(start, j + 1):
            found = _match(texts[k], file, pointer, limit, marked) or _match(texts[k], file, first, limit, marked)
            if found:
                out[k], pointer = found, found + 1
            elif k > i:
                out[k] = out[k - 1]
        i = j + 1
    return tuple(out)


def _match(text: str, file: SourceFile, start: int, limit: int, marked: set[int]) -> int | None:
    for number in range(start, limit):
        if number in marked:
            continue
        written = file.line(number)
        if not written.strip():
            if not text.strip():
                return number
            continue
        if "{{" not in written:
            continue
        pieces = [p.strip() for p in _TAG.split(written) if p.strip()]
        pos = 0
        for piece in pieces:
            pos = text.find(piece, pos)
            if pos < 0:
                break
            pos += len(piece)
        else:
            return number
    return None


def _prose(text: str) -> str:
    return _CODE_SPAN.sub(lambda m: "\ufffc" * len(m.group(0)), text)


def build_lines(rendered: Rendered, source: Source, file: SourceFile) -> tuple[Line, ...]:
    numbers = refine_lines(rendered, source, file)
    lines, fence = [], ""
    for index, text in enumerate(rendered.text.split("\n")):
        opened = _FENCE.match(text)
        code = bool(fence) or bool(opened)
        if fence and opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
            fence = ""
        elif not fence and opened:
            fence = opened.group(1)
        number = numbers[index] if index < len(numbers) else (numbers[-1] if numbers else source.body_line)
        lines.append(Line(index, text, text if code else _prose(text), number, code))
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
