"""Running heads whose heading changes from page to page within a section (章 that run on), cached with
what Word shows on each of the section's pages when that is the same heading on all of them.

Word's rule for a STYLEREF in a header: the first heading of that level on the page, else the last one
before it. The pages come from LibreOffice's layout (``layout``); a head that would differ from page to
page, or a section whose first page is not known, keeps its empty cache (LibreOffice then shows none;
Word always fills its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import docx.document
from docx.section import Section, _Header
from lxml import etree

from jpub import libreoffice
from jpub.editions.docx import breaks, running_heads
from jpub.editions.docx.ooxml import w

_STYLEREF = re.compile(r"^\s*STYLEREF\s+(\d)\s*$")


@dataclass(frozen=True)
class Placed:
    level: int
    page: int
    paragraph: etree._Element


def bookmarks(paragraph: etree._Element) -> list[str]:
    """The bookmarks on a paragraph: pandoc puts a heading's just before it, beside it in the body."""
    names = [b.get(w("name")) or "" for b in paragraph.iter(w("bookmarkStart"))]
    node = paragraph.getprevious()
    while node is not None and node.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        if node.tag == w("bookmarkStart"):
            names.append(node.get(w("name")) or "")
        node = node.getprevious()
    return names


def placed_headings(document: docx.document.Document, pages: dict[str, int]) -> list[Placed]:
    """Every heading with the page its bookmark is on, in document order."""
    out = []
    for paragraph in document.element.body.iterchildren(w("p")):
        level = breaks.heading_level(paragraph)
        found = [pages[name] for name in map(libreoffice.destination_name, bookmarks(paragraph)) if name in pages]
        if level is not None and found:
            out.append(Placed(level, found[0], paragraph))
    return out


def shown(headings: list[Placed], level: int, page: int) -> etree._Element | None:
    on_page = [h.paragraph for h in headings if h.level == level and h.page == page]
    before = [h.paragraph for h in headings if h.level == level and h.page < page]
    return on_page[0] if on_page else (before[-1] if before else None)


def _first_page(section: Section, headings: list[Placed]) -> int | None:
    first = next(iter(section.iter_inner_content()), None)
    return next((h.page for h in headings if first is not None and h.paragraph is first._element), None)


def _empty_styleref(header: _Header) -> tuple[int, etree._Element] | None:
    """(level, the cached result's text element) of the header's STYLEREF field, when its cache is empty."""
    if header.is_linked_to_previous:
        return None
    root = header.part.element
    instructions = "".join(t.text or "" for t in root.iter(w("instrText")))
    match = _STYLEREF.match(instructions)
    results = [t for t in root.iter(w("t"))]
    if match is None or len(results) != 1 or results[0].text:
        return None
    return int(match.group(1)), results[0]


def fill_heads(document: docx.document.Document, pages: dict[str, int], last_page: int) -> None:
    headings = placed_headings(document, pages)
    body = list(document.sections)
    starts = [_first_page(section, headings) for section in body]
    for index, section in enumerate(body):
        start = starts[index]
        following = starts[index + 1] if index + 1 < len(body) else last_page + 1
        if start is None or following is None:
            continue
        for header, parity in ((section.header, 1), (section.even_page_header, 0)):
            empty = _empty_styleref(header)
            if empty is None:
                continue
            level, result = empty
            seen = {shown(headings, level, page) for page in range(start, following) if page % 2 == parity}
            if len(seen) != 1 or (heading := seen.pop()) is None:
                continue
            if running_heads.has_break(heading):  # Word's result would carry the heading's line break: the text instead
                paragraph = header.paragraphs[0]
                for run in paragraph._p.findall(w("r")):
                    paragraph._p.remove(run)
                paragraph.add_run(running_heads.heading_text(heading))
            else:
                result.text = running_heads.heading_text(heading)
