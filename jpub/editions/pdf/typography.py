"""Japanese composition WeasyPrint lacks, done on the print HTML before layout.

WeasyPrint ignores ``text-spacing`` and has no 約物詰め, so two JLReq rules are applied here by wrapping
characters in spans the stylesheet styles:

- 和欧間: a Latin run (one with a letter; figures stay tight) next to kana or kanji gets a quarter-em gap on that side
  (``<span class="wa-l wa-r">AI</span>``), as a margin, so the PDF's text stays the source text.
- 約物の連続: of two adjacent punctuation marks, the one whose blank half faces the other is set
  half-width (``<span class="halt">」</span>`` with the font's ``halt`` feature): ``」「`` ``）、``
  ``。」`` ``「（`` take 1.5 em instead of 2.
"""

from __future__ import annotations

import html as html_mod
import re
from dataclasses import dataclass
from typing import Literal

import lxml.html
from lxml.html import HtmlElement

from jpub.editions.pdf.notes import NOTE_CLASS
from jpub.phrases import phrases as phrases  # the cover and the headings break between these

# Kana and kanji (not punctuation, not the middle dot ・ U+30FB): a gap goes between these and Latin.
_JAPANESE = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆〇]")
# A Latin run: starts and ends with a letter or digit; may hold spaces and the usual inner marks.
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,:/&+\-'’]*[A-Za-z0-9%])?")
_LETTER = re.compile(r"[A-Za-z]")
_CLOSING = set("」』）］｝〕〉》】〙〗”’、。，．")
_OPENING = set("「『（［｛〔〈《【〘〖“‘")
NOTE_MARKS = ("※", "（注）", "注：")
_SKIPPED = {"head", "script", "style", "code", "pre", "kbd", "samp", "math", "svg"}
Slot = Literal["text", "tail"]  # where an element holds text: before its first child, after its end


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: str


def marks(text: str) -> list[Mark]:
    """Where ``text`` (a whole flow of text) needs a span, in order and not overlapping."""
    found: list[Mark] = []
    for match in _LATIN.finditer(text):
        start, end = match.span()
        if not _LETTER.search(match.group()):
            continue  # figures stay tight: 第1章, 令和6年6月11日
        classes: list[str] = []
        if start > 0 and _JAPANESE.match(text[start - 1]):
            classes.append("wa-l")
        if end < len(text) and _JAPANESE.match(text[end]):
            classes.append("wa-r")
        if classes:
            found.append(Mark(start, end, " ".join(classes)))
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in _CLOSING and (b in _CLOSING or b in _OPENING):
            found.append(Mark(i, i + 1, "halt"))
        elif a in _OPENING and b in _OPENING:
            found.append(Mark(i + 1, i + 2, "halt"))
    return sorted(set(found), key=lambda m: m.start)


LONGEST_PHRASE = 12  # a longer run is left breakable, so it can never overflow the line


def _is_footnote(element: HtmlElement) -> bool:
    return isinstance(element.tag, str) and NOTE_CLASS in (element.get("class") or "").split()


def _segments(root: HtmlElement) -> list[tuple[HtmlElement, Slot]]:
    """Every text slot (element, "text" | "tail") of ``root``'s content in reading order, skipping code and the
    like, and footnotes: a footnote is set apart from the text that calls it, so it is a flow of its own."""
    out: list[tuple[HtmlElement, Slot]] = [(root, "text")]

    def visit(element: HtmlElement) -> None:
        skipped = not isinstance(element.tag, str) or element.tag in _SKIPPED or _is_footnote(element)
        if not skipped:
            out.append((element, "text"))
            for child in element:
                visit(child)
        out.append((element, "tail"))

    for child in root:
        visit(child)
    return out


def _spanned(text: str, local: list[Mark]) -> str:
    parts: list[str] = []
    at = 0
    for mark in local:
        parts.append(html_mod.escape(text[at : mark.start], quote=False))
        parts.append(f'<span class="{mark.classes}">{html_mod.escape(text[mark.start : mark.end], quote=False)}</span>')
        at = mark.end
    parts.append(html_mod.escape(text[at:], quote=False))
    return "".join(parts)


def _replace(element: HtmlElement, slot: Slot, markup: str) -> None:
    """Put ``markup`` (text with spans) where ``element.text`` or ``element.tail`` was."""
    wrapper = lxml.html.fragment_fromstring(f"<span>{markup}</span>")
    nodes = list(wrapper)
    if slot == "text":
        element.text = wrapper.text
        for offset, node in enumerate(nodes):
            element.insert(offset, node)
    else:
        parent = element.getparent()
        assert parent is not None  # the root's tail is no segment: an element with a tail here is inside it
        element.tail = wrapper.text
        index = parent.index(element)
        for offset, node in enumerate(nodes):
            parent.insert(index + 1 + offset, node)


def _mark_notes(body: HtmlElement) -> None:
    """A paragraph that begins with ※ is a note: set flush, not indented like running text."""
    for paragraph in body.iter("p"):
        if (paragraph.text or "").lstrip().startswith(NOTE_MARKS):
            paragraph.set("class", (paragraph.get("class", "") + " note").strip())


def _mark_labels(body: HtmlElement) -> None:
    """A paragraph that is nothing but bold text (「**第1部の構成**」) is a label over what follows: set flush like
    the list it introduces, not indented like running text, and kept with what follows."""
    for paragraph in body.iter("p"):
        children = list(paragraph)
        if (
            len(children) == 1
            and children[0].tag in ("strong", "b")
            and not (paragraph.text or "").strip()
            and not (children[0].tail or "").strip()
            and not paragraph.get("class")
        ):
            paragraph.set("class", "label")


def refine_tree(root: HtmlElement) -> None:
    """Add 和欧間 and 約物 spans to the body's text and to each footnote, and mark notes and labels (in place)."""
    body = root.find("body")
    assert body is not None  # lxml's document_fromstring always makes a body
    _mark_notes(body)
    _mark_labels(body)
    footnotes = [element for element in body.iter("span") if _is_footnote(element)]
    for flow in (body, *footnotes):
        _refine_flow(flow)


def refine(document_html: str) -> str:
    """The print HTML refined (``refine_tree``)."""
    root = lxml.html.document_fromstring(document_html)
    refine_tree(root)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _refine_flow(root: HtmlElement) -> None:
    segments = [(el, slot, (el.text if slot == "text" else el.tail) or "") for el, slot in _segments(root)]
    flow = "".join(text for _, _, text in segments)
    pending = marks(flow)  # sorted by start: one pass over segments and marks together
    at, index = 0, 0
    for element, slot, text in segments:
        end = at + len(text)
        local: list[Mark] = []
        while index < len(pending) and pending[index].start < end:
            mark = pending[index]
            if mark.start >= at and mark.end <= end:  # a mark across two segments is left out
                local.append(Mark(mark.start - at, mark.end - at, mark.classes))
            index += 1
        if local:
            _replace(element, slot, _spanned(text, local))
        at = end
