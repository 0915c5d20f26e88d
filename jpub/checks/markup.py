"""Markup that silently changes the output: emphasis pandoc leaves as literal **, and line breaks
inside a paragraph between Japanese characters (they become spaces)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from jpub.checks.model import Finding, expected_found
from jpub.checks.view import Doc, stands_alone, unit_text

_MARKERS = re.compile(r"\*\*|__")
_NEW_BLOCK = re.compile(r"^\s*(?:>|[-*+]\s|\d+[.)]\s|#{1,6}\s|\||:::)")


def emphasis(doc: Doc) -> Iterator[Finding]:
    """** or __ that pandoc's Markdown reader leaves in the text instead of making emphasis."""
    for unit in doc.units:
        runs = doc.literal_runs.get(unit_text(doc, unit), ())
        seen: dict[str, int] = {}
        for run in runs:
            if "**" not in run and not _wide_near(run):
                continue  # __ in snake_case and similar: not meant as emphasis
            nth = seen.get(run, 0)
            seen[run] = nth + 1
            place = _locate(doc, unit.first, unit.last, run, nth)
            if place is None:
                continue  # escaped (\*\*): the author wrote the asterisks on purpose
            index, column = place
            marker = _MARKERS.search(run)
            offset = marker.start() if marker else 0
            where = doc.at(index, column, run)
            shown = marker.group(0) if marker else "**"
            yield Finding(
                where.at_column(where.column + offset),
                expected_found("強調記号", "強調として解釈", f"「{shown}」がそのまま出力", "前後の空白や記号の位置を確認"),
            )


def _wide_near(run: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in run)


def _locate(doc: Doc, first: int, last: int, run: str, nth: int) -> tuple[int, int] | None:
    count = 0
    for index in range(first, last + 1):
        text = doc.lines[index].prose
        position = text.find(run)
        while position >= 0:
            if count == nth:
                return index, position
            count += 1
            position = text.find(run, position + 1)
    return None


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def soft_break(doc: Doc) -> Iterator[Finding]:
    """A line break inside a paragraph between two Japanese characters: the output gets a space there."""
    for unit in doc.units:
        if unit.kind not in ("para", "item"):
            continue
        for index in range(unit.first, unit.last):
            this, following = doc.lines[index].prose, doc.lines[index + 1].prose
            if this.endswith("  ") or _NEW_BLOCK.match(following):
                continue  # a hard break (two spaces; a trailing \ is not a Japanese character either)
            end, start = this.rstrip().rstrip("*_"), following.lstrip().lstrip("*_")
            if _wide(end[-1:]) and _wide(start[:1]):
                where = doc.at(index, len(end) - 1, end[-1])
                pair = f"{end[-1]}」と「{start[0]}"
                yield Finding(where, expected_found(f"「{pair}」の間は", "続けて書く", "段落内の改行", "出力では空白になります"))


def heading_blank(doc: Doc) -> Iterator[Finding]:
    """A heading written right under a paragraph or list line: pandoc reads it as text of that block."""
    for index in doc.heading_lines:
        if index == 0:
            continue
        above = doc.lines[index - 1]
        if above.code or stands_alone(above.text):
            continue
        where = doc.at(index, 0)
        yield Finding(where.at_column(1), expected_found("見出しの前は", "空行", "前の行に続けて記述", "見出しにならず本文として出力されます"))


_NO_SPACE = re.compile(r"^ {0,3}(#{1,6})(?=[^\s#{])")


def heading_space(doc: Doc) -> Iterator[Finding]:
    """``##第6章``: without a space after the #s, pandoc's Markdown reads the line as text, # and all."""
    for line in doc.lines:
        found = None if line.code else _NO_SPACE.match(line.prose)
        if found:
            where = doc.at(line.index, found.end(1), line.prose[found.end(1) : found.end(1) + 6])
            next_char = line.prose[found.end(1)]
            message = expected_found(f"見出しの {found.group(1)} の後は", "半角空白", f"「{next_char}」", "見出しにならず # ごと本文に出力されます")
            yield Finding(where, message)
