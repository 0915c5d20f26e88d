"""Where a full line of Japanese may take space, and how much each place takes (JLReq 3.8, 行の調整処理).

The places (gaps) are between two characters of which at least one is Japanese — kana, kanji, full-width
punctuation — and after a Latin word space; never inside a Latin word or a number, never before a combining
mark or a footnote call, never between the two halves of ―― …… ‥‥. The slack goes first to the word spaces
(they are word breaks in the text already), then evenly to the other gaps, none wider than COPY_SAFE_EM in
all: pdftotext, pypdf and viewers' copy read a wider gap between two glyphs as a word break, and 「生成AIの」
would be copied as 「生成 AI の」. A line that cannot be filled within that gives the rest to its word spaces,
or, with none, to every gap (the line is flush; its copied text may show a space).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import TO_UNITS

SPACE_MAX_EM = 0.25  # a Latin word space takes at most this much more before the other gaps share the slack
COPY_SAFE_EM = 0.095  # a gap between two glyphs up to this stays out of copied text (the extractors break at 0.1 em)

SPACE, CJK, LATIN, MARK, ATTACHED = "space", "cjk", "latin", "mark", "attached"
_INSEPARABLE = frozenset("—―…‥〳〴〵")  # 分離禁止: no gap between two of the same


@dataclass(frozen=True, slots=True)
class Char:
    box: Any  # the TextBox it is in
    end: int  # byte offset of its end in the box's text
    char: str
    kind: str
    edge: float  # margins, borders and paddings of inline boxes between it and the character before (px)


@dataclass(frozen=True, slots=True)
class Gap:
    box: Any  # the TextBox holding the character before the gap
    end: int  # byte offset in that box's text where the gap is
    kind: str  # SPACE, CJK (between two Japanese characters) or "wa" (Japanese beside Latin)
    present: float  # space already there (a 和欧間 margin), px


@lru_cache(maxsize=4096)
def char_kind(ch: str) -> str:
    if ch in " \u00a0":
        return SPACE
    code = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Me", "Mc", "Cf") or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return MARK  # combining marks, variation selectors, ZWJ: part of the character before
    width = unicodedata.east_asian_width(ch)
    if width in ("W", "F", "H"):
        return CJK
    if width == "A" and unicodedata.category(ch)[0] in "PS":  # “ ” ※ ○ ― are set full-width in Japanese
        return CJK
    return LATIN


def gap_kind(before: Char, after: Char) -> str | None:
    """The kind of justification opportunity between two base characters, or None."""
    if before.kind == SPACE:
        return SPACE
    if after.kind == SPACE:
        return None  # the space itself takes it
    if before.kind == CJK and after.kind == CJK:
        return None if (before.char == after.char and before.char in _INSEPARABLE) else CJK
    if before.kind == LATIN and after.kind == LATIN:
        return None
    return "wa"


def _is_attached(box: Any) -> bool:
    """A footnote call or other superscript: set against the character before it."""
    return box.style["vertical_align"] in ("super", "sub") or "::footnote-call" in (box.element_tag or "")


def characters(line: Any) -> list[Char | None]:
    """Every character of a line box in order; None where an atomic inline (an image) stands."""
    out: list[Char | None] = []
    edge = 0.0

    def walk(box: Any, attached: bool) -> None:
        nonlocal edge
        if isinstance(box, boxes.TextBox):
            at = 0
            for ch in box.text:
                at += len(ch.encode("utf-8"))
                out.append(Char(box, at, ch, ATTACHED if attached else char_kind(ch), edge))
                edge = 0.0
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            inline = isinstance(box, boxes.InlineBox)
            attached = attached or (inline and _is_attached(box))
            if inline:
                edge += box.margin_left + box.border_left_width + box.padding_left
            for child in box.children:
                if child.is_in_normal_flow():
                    walk(child, attached)
            if inline:
                edge += box.margin_right + box.border_right_width + box.padding_right
        else:
            out.append(None)

    walk(line, False)
    return out


def gaps(chars: list[Char | None]) -> list[Gap]:
    """The line's justification opportunities, in order (none after its last character)."""
    found = []
    previous: Char | None = None  # the last base character, with any marks after it folded in
    for char in chars:
        if char is None:
            previous = None
        elif previous is None:
            if char.kind not in (MARK, ATTACHED):
                previous = char
        elif char.kind == MARK:
            previous = Char(char.box, char.end, previous.char, previous.kind, 0.0)  # the gap moves after the mark
        elif char.kind == ATTACHED:
            previous = Char(char.box, char.end, char.char, CJK, 0.0)  # no gap before a note call; after it as after a kanji
        else:
            kind = gap_kind(previous, char)
            if kind:
                found.append(Gap(previous.box, previous.end, kind, char.edge))
            previous = char
    return found


def distribute(extra: float, line_gaps: list[Gap], font_size: float) -> list[float]:
    """The width (px) each gap takes, summing to ``extra`` (see the module's docstring)."""
    amounts = [0.0] * len(line_gaps)
    spaces = [i for i, gap in enumerate(line_gaps) if gap.kind == SPACE]
    if spaces:
        each = min(extra / len(spaces), SPACE_MAX_EM * font_size)
        for i in spaces:
            amounts[i] = each
        extra -= each * len(spaces)
    others = [i for i, gap in enumerate(line_gaps) if gap.kind != SPACE]
    room = {i: max(0.0, COPY_SAFE_EM * line_gaps[i].box.style["font_size"] - line_gaps[i].present) for i in others}
    waiting = sorted(others, key=lambda i: room[i])
    while waiting and extra > 1e-9:  # water-filling: the gap with the least room is filled first
        share = extra / len(waiting)
        taken = min(share, room[waiting[0]] - amounts[waiting[0]])
        for i in waiting:
            amounts[i] += taken
        extra -= taken * len(waiting)
        waiting.pop(0)
    if extra > 1e-9:
        takers = spaces or list(range(len(line_gaps)))
        for i in takers:
            amounts[i] += extra / len(takers)
    return amounts


def quantised(line_gaps: list[Gap], amounts: list[float]) -> list[tuple[float, int]]:
    """(width drawn in px, Pango units) of each gap.

    WeasyPrint draws a glyph's advance as a TJ offset in whole thousandths of the font size, truncated: a gap
    of 0.0347 em would be drawn as 0.034 em, and forty of them leave the line 0.2–0.4 pt short. So each gap is
    a whole number of thousandths, rounded so that the running total stays on the exact one, and given a hair
    more Pango units than that, so that the truncation lands on it."""
    out, wanted, drawn = [], 0.0, 0.0
    for gap, amount in zip(line_gaps, amounts, strict=True):
        size = gap.box.style["font_size"]
        wanted += amount
        thousandths = max(0, round((wanted - drawn) * 1000 / size))
        width = thousandths * size / 1000
        drawn += width
        out.append((width, math.ceil(thousandths * size * TO_UNITS / 1000 + 0.01) if thousandths else 0))
    return out
