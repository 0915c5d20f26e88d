"""Where each rendered line came from: the file the author edits (the source or a file it includes) and
its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from jpub.source import Source, display_path
from jpub.source_template import Origin, Rendered, keep_line_breaks, mark_lines

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}")
SEARCH_WINDOW = 200  # source lines looked at when placing one rendered line


@dataclass(frozen=True)
class SourceFile:
    display: str
    path: Path
    lines: tuple[str, ...]  # every line of the file, index 0 = line 1
    marked: frozenset[int]  # lines the template marker places by itself

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def _marked(body: str, first_line: int) -> frozenset[int]:
    marked_text = mark_lines(keep_line_breaks(body), first_line).split("\n")
    return frozenset(first_line + k for k, (a, b) in enumerate(zip(marked_text, keep_line_breaks(body).split("\n"), strict=False)) if a != b)


def source_files(source: Source, rendered: Rendered) -> tuple[SourceFile, ...]:
    """The source (file 0) and every file its rendering included or imported, as written."""
    text = _read(source.path)
    lines = tuple(text.split("\n")) if text is not None else ("",) * (source.body_line - 1) + tuple(source.body.split("\n"))
    files = [SourceFile(source.display, source.path, lines, _marked(source.body, source.body_line))]
    for path in rendered.files[1:]:
        included = _read(path) or ""
        files.append(SourceFile(display_path(path), path, tuple(included.split("\n")), _marked(included, 1)))
    return tuple(files)


def refine_lines(rendered: Rendered, files: tuple[SourceFile, ...]) -> tuple[Origin, ...]:
    """Place rendered lines the template marker could not (blank lines, lines starting with {{ }}).

    A rendered line maps to the last marker seen; the lines after it in the same run came from
    unmarked lines of the same file between that marker and the next: blank lines or lines with an expression.
    """
    mapped = list(rendered.origins) or [Origin(0, n) for n in rendered.lines]
    texts = rendered.text.split("\n")
    out = list(mapped)
    i = 0
    while i < len(mapped):
        s, j = mapped[i], i
        while j + 1 < len(mapped) and mapped[j + 1] == s:
            j += 1
        file = files[s.file] if s.file < len(files) else files[0]
        following = mapped[j + 1] if j + 1 < len(mapped) else None
        end = following.line if following is not None and following.file == s.file and following.line > s.line else len(file.lines) + 1
        limit = min(end, s.line + SEARCH_WINDOW)
        first = s.line + 1 if s.line in file.marked else s.line
        start = i + 1 if s.line in file.marked else i
        pointer = first
        for k in range(start, j + 1):
            found = _match(texts[k], file, pointer, limit) or _match(texts[k], file, first, limit)
            if found:
                out[k], pointer = replace(s, line=found), found + 1
            elif k > i:
                out[k] = out[k - 1]
        i = j + 1
    return tuple(out)


def _match(text: str, file: SourceFile, start: int, limit: int) -> int | None:
    for number in range(start, limit):
        if number in file.marked:
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
