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


_LINK_END = re.compile(r"\]\([^()]*\)$|\]\[[^\]]*\]$")
_MARKUP_ENDS = "*_~`"


def _last_shown(text: str) -> str:
    """The last character a reader sees of a line: emphasis marks and a link's target left out."""
    text = text.rstrip().rstrip(_MARKUP_ENDS)
    text = _LINK_END.sub("", text).rstrip(_MARKUP_ENDS)
    return text[-1:]


def _first_shown(text: str) -> str:
    return text.lstrip().lstrip(_MARKUP_ENDS + "![").lstrip(_MARKUP_ENDS)[:1]


def _kind(ch: str) -> str:
    width = unicodedata.east_asian_width(ch)
    if width in "WF":
        return "wide"
    if width == "A":
        return "symbol"  # …, ①, ※, “: used in Japanese text, yet pandoc counts them narrow
    return "alnum" if ch.isascii() and ch.isalnum() else "other"


_JOINED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60々](?=[A-Za-z0-9])|[A-Za-z0-9](?=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60々])")
# a space between Japanese and a word of two letters or more: one spaced-out letter (生成 A I) is copying's, not a habit
_SPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60々] (?=[A-Za-z0-9]{2})|(?<=[A-Za-z0-9]{2}) (?=[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60々])")


def writes_latin_joined(doc: Doc) -> bool:
    """Whether the document writes Japanese and half-width letters or digits side by side (生成AI, 52校)
    rather than with a space between (AI for Science の応用)."""
    joined = spaced = 0
    for line in doc.lines:
        if not line.code:
            joined += len(_JOINED.findall(line.prose))
            spaced += len(_SPACED.findall(line.prose))
    return joined >= spaced


def soft_break(doc: Doc) -> Iterator[Finding]:
    """A line break inside a paragraph, list item or grid-table cell that the output prints as a space:
    pandoc joins two Japanese characters (east_asian_line_breaks), not a Japanese character and a symbol
    such as … or ①, nor a Japanese character and a half-width letter or digit (reported when the document
    writes those side by side)."""
    joined = None
    for unit in doc.units:
        if unit.kind not in ("para", "item", "cell"):
            continue
        lines = doc.unit_lines(unit)
        for (index, offset, this), (_next, _offset, following) in zip(lines, lines[1:], strict=False):
            if unit.kind == "cell":
                this = this.rstrip()  # a cell's padding, not a hard break
            if this.endswith("  ") or this.rstrip().endswith("\\") or _NEW_BLOCK.match(following):
                continue  # a hard break, or the next line starts a block of its own
            end, start = _last_shown(this), _first_shown(following)
            if not end or not start:
                continue
            kinds = {_kind(end), _kind(start)}
            if "wide" not in kinds or kinds == {"wide"} or "other" in kinds:
                continue
            if "alnum" in kinds:
                joined = writes_latin_joined(doc) if joined is None else joined
                if not joined:
                    continue
            column = offset + len(this.rstrip()) - 1
            where = doc.at(index, column, this.rstrip()[-4:])
            pair = f"{end}」と「{start}"
            yield Finding(where, expected_found(f"「{pair}」の間の改行は", "なし（続けて書く）", "段落内の改行", "出力では空白になります"))


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
