"""Long headings and titles broken between phrases, never with one or two characters on their last line.

Word and LibreOffice break Japanese between any two characters, and WordprocessingML has no way to keep
a phrase together (``w:wordWrap`` concerns Latin words, ``w:kinsoku`` the 禁則 characters). So where a
heading will not fit on one line, the lines are planned here, phrase by phrase, and each break is written
as a line break (``w:br``), which every renderer honours whatever its fonts: each line is planned one em
short of the measure (faces differ a little), and a last line shorter than four characters takes the
phrase before it. Widths are estimated: a full-width character is 1 em in every Japanese face, a
half-width one at most about 0.6 em, and Word puts a quarter em between Japanese and Latin letters or
figures. A phrase longer than the line is left to the renderer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from lxml import etree

from jpub.editions.docx.ooxml import XML_SPACE, el, w
from jpub.phrases import phrases

SLACK_EM = 1.0  # each line is planned this much shorter than the measure
MIN_LAST_EM = 4.0  # a last line shorter than this takes the previous line's last phrase
HALF_WIDTH_EM = 0.6
AUTOSPACE_EM = 0.25  # w:autoSpaceDE / autoSpaceDN, on by default


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W", "A")


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def em(text: str) -> float:
    """The text's width in em of its size, on the generous side."""
    width = sum(1.0 if _wide(ch) else HALF_WIDTH_EM for ch in text)
    gaps = sum(1 for a, b in zip(text, text[1:], strict=False) if (_wide(a) and _alnum(b)) or (_alnum(a) and _wide(b)))
    return width + gaps * AUTOSPACE_EM


def plan(text: str, measure_em: float) -> list[int]:
    """Offsets in ``text`` where its lines should break (none: it fits, or a phrase alone is too long)."""
    if em(text) <= measure_em:
        return []
    width = measure_em - SLACK_EM
    parts = phrases(text)
    if any(em(part.rstrip()) > width for part in parts):
        return []
    lines: list[list[str]] = [[]]
    for part in parts:
        if lines[-1] and em("".join(lines[-1]) + part.rstrip()) > width:
            lines.append([])
        lines[-1].append(part)
    while len(lines) > 1 and em("".join(lines[-1])) < MIN_LAST_EM and len(lines[-2]) > 1:
        moved = lines[-2][-1]
        if em(moved + "".join(lines[-1]).rstrip()) > width:
            break
        lines[-1].insert(0, lines[-2].pop())
    offsets, at = [], 0
    for line in lines[:-1]:
        at += len("".join(line))
        offsets.append(at)
    return offsets


def _texts(paragraph: etree._Element) -> list[etree._Element] | None:
    """The w:t of a paragraph of plain runs (text only: no field, tab, break or drawing), else None."""
    texts = []
    for run in paragraph.iter(w("r")):
        for child in run:
            if child.tag == w("t"):
                texts.append(child)
            elif child.tag != w("rPr"):
                return None
    return texts


def insert_break(texts: list[etree._Element], offset: int) -> None:
    """A w:br after ``offset`` characters (a w:t split in two where the break falls inside it). A space
    before the break stays: the heading's text is unchanged, and a space at the end of a line is not seen."""
    at = 0
    for node in texts:
        value = node.text or ""
        if at + len(value) >= offset:
            cut = offset - at
            head, tail = value[:cut], value[cut:]
            node.text = head
            node.set(XML_SPACE, "preserve")
            brk = el("br")
            node.addnext(brk)
            if tail:
                rest = el("t", None, text=tail)
                rest.set(XML_SPACE, "preserve")
                brk.addnext(rest)
            return
        at += len(value)


def break_headings(body: etree._Element, measures: Mapping[str, float]) -> int:
    """Break every paragraph whose style has a measure (in em of its size) where ``plan`` says; returns how
    many were broken."""
    count = 0
    for paragraph in body.iter(w("p")):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        measure = measures.get(style.get(w("val")) or "") if style is not None else None
        texts = _texts(paragraph) if measure else None
        if not measure or not texts:
            continue
        text = "".join(t.text or "" for t in texts)
        offsets = plan(text, measure)
        for offset in reversed(offsets):
            insert_break(texts, offset)
        count += bool(offsets)
    return count
