"""Where each rendered line came from: the line of the source file the author edits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jpub.source import Source
from jpub.source_template import Rendered, mark_lines

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
SEARCH_WINDOW = 200  # source lines looked at when placing one rendered line


@dataclass(frozen=True)
class SourceFile:
    display: str
    directory: Path
    lines: tuple[str, ...]  # every line of the file, index 0 = line 1

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""


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
