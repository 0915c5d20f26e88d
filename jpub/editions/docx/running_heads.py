"""Sections where pages start, each with running heads of its own: the 部 on left-hand (even) pages, the
章 on right-hand (odd) ones, as 白書 set their 柱; a document without 部 has its title on the left.

A head is Word's own running head, a ``STYLEREF <level>`` field, which Word evaluates page by page. Its
cached result is what every other reader shows (LibreOffice 7.4 does not evaluate STYLEREF, nor do
previewers and 保護ビュー): the heading current in the section when that is one heading; when a section
holds several (章 that run on), the cache is left empty here and ``layout`` fills it from LibreOffice's
page layout. A section starts at every heading that starts a page, so a 部 always has a section of
its own: the section break replaces the heading's page break (both would leave a blank page in Word),
and starts an odd page when ``page-flow`` is ``recto``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import docx.document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.section import Section, _Header
from lxml import etree

from jpub import page_flow
from jpub.editions.docx import breaks, ooxml
from jpub.editions.docx.ooxml import w
from jpub.publication import Publication


@dataclass(frozen=True)
class Head:
    """One running head: the heading level it follows (0: the document's title, as text), and the headings
    current somewhere in its section."""

    level: int
    current: tuple[etree._Element, ...]


def heading_text(paragraph: etree._Element) -> str:
    """A heading's text on one line (a break between phrases, w:br, counts as nothing)."""
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def has_break(paragraph: etree._Element) -> bool:
    return paragraph.find(f".//{w('br')}") is not None


def write_head(header: _Header, head: Head, title: str, align: WD_ALIGN_PARAGRAPH) -> None:
    """A STYLEREF field cached with the one current heading, or left empty for the layout to fill; literal
    text where Word's result would carry a heading's line break (the title, a broken 部 or 章)."""
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = align
    if head.level == 0:
        paragraph.add_run(title)
    elif len(head.current) == 1 and has_break(head.current[0]):
        paragraph.add_run(heading_text(head.current[0]))
    else:
        cached = heading_text(head.current[0]) if len(head.current) == 1 else ""
        paragraph._p.extend(ooxml.field_runs(f"STYLEREF {head.level}", cached))


def _carrier(block: etree._Element) -> Any:
    """The paragraph that ends the section before ``block``: the paragraph before it, or a new 1-pt one
    after a table or a field's last paragraph (LibreOffice takes a section that ends in the paragraph where
    the 目次's field ends as part of the index, and loses the next page's footer)."""
    previous = block.getprevious()
    while previous is not None and previous.tag not in (w("p"), w("tbl")):
        previous = previous.getprevious()
    if previous is None or (previous.tag == w("p") and previous.find(f".//{w('fldChar')}") is None):
        return previous
    carrier = breaks.break_carrier()
    breaks.set_break(carrier, False)
    previous.addnext(carrier)
    return carrier


def _strip(sect: Any, *tags: str) -> None:
    for tag in tags:
        for node in sect.findall(qn(f"w:{tag}")):
            sect.remove(node)


def split(document: docx.document.Document, starts: Sequence[etree._Element], flow: Mapping[str, str], chapter: int) -> list[Section]:
    """A section from each of ``starts`` (the blocks that begin a page) on; returns the body's sections.

    The cover is a section of its own, without header or folio; the 目次's keeps the document's header; the
    body's sections get their own. All have the page, margins and folio of the document's one section.
    """
    final = document.sections[-1]._sectPr
    toc = [p for p in document.element.body.iterchildren(w("p")) if breaks.style_of(p) == "TOCHeading"][:1]
    ends = []
    begins: list[etree._Element] = []  # the block each section after the first begins with
    for block in [*toc, *starts]:
        carrier = _carrier(block)
        if carrier is None:
            continue  # nothing before it: no section to end
        sect = copy.deepcopy(final)
        carrier.get_or_add_pPr()._insert_sectPr(sect)
        breaks.set_break(block, False)  # the section break starts the page
        ends.append(sect)
        begins.append(block)
    if not ends:
        return []
    front = 2 if toc else 1  # the sections before the body: the cover (when split off) and the 目次
    if toc:
        _strip(ends[0], "headerReference", "footerReference")
        for sect in [*ends, final]:
            _strip(sect, "titlePg")  # the cover has a section of its own instead
    for sect in [*ends[front:], final]:
        _strip(sect, "headerReference")
    sections = list(document.sections)
    for section, block in zip(sections[1:], begins, strict=False):
        level = breaks.heading_level(block)
        recto = level is not None and page_flow.unit_flow(level, chapter, flow) == page_flow.RECTO
        section.start_type = WD_SECTION_START.ODD_PAGE if recto else WD_SECTION_START.NEW_PAGE
    return sections[front:]


def heads(section: Section, levels: tuple[int, int], carried: dict[int, etree._Element]) -> tuple[Head, Head]:
    """(left-hand head, right-hand head) of a section: for each level, the headings that can be current on
    its pages — the one carried over from before, unless the section opens with its own, then each one in
    it (Word's rule: the first on the page, else the last before it). ``carried`` is brought up to date."""
    found: dict[int, list[etree._Element]] = {level: [] for level in levels}
    opening: set[int] = set()
    leading = True
    for item in section.iter_inner_content():
        level = breaks.heading_level(item._element)
        if level is None:
            leading = False
        elif level in found:
            if leading and not found[level]:
                opening.add(level)
            found[level].append(item._element)
    out = []
    for level in levels:
        current = found[level] if level in opening or level not in carried else [carried[level], *found[level]]
        out.append(Head(level, tuple(current) if level else ()))
        if found[level]:
            carried[level] = found[level][-1]
    # no 章 yet (a 部's opening pages, the introduction): the right-hand head follows the 部 too — Word would
    # otherwise look ahead to the next 章 in the document
    return out[0], out[1] if out[1].current else out[0]


def even_footer(section: Section) -> None:
    """Left-hand pages get the same folio as right-hand ones once Word tells them apart."""
    footer = section.even_page_footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]._p
    paragraph.addnext(copy.deepcopy(section.footer.paragraphs[0]._p))
    paragraph.getparent().remove(paragraph)


def running_heads(document: docx.document.Document, sections: Sequence[Section], title: str, chapter: int) -> None:
    """Left- and right-hand heads in every body section; the front shows the title on both."""
    document.settings.odd_and_even_pages_header_footer = True
    front = document.sections[len(document.sections) - len(sections) - 1]  # the 目次's section
    write_head(front.even_page_header, Head(0, ()), title, WD_ALIGN_PARAGRAPH.LEFT)
    levels = (chapter - 1, chapter) if chapter > 1 else (0, 1)
    carried: dict[int, etree._Element] = {}
    for section in sections:
        left, right = heads(section, levels, carried)
        write_head(section.even_page_header, left, title, WD_ALIGN_PARAGRAPH.LEFT)
        write_head(section.header, right, title, WD_ALIGN_PARAGRAPH.RIGHT)


def apply(document: docx.document.Document, starts: Sequence[etree._Element], pub: Publication, chapter: int) -> None:
    """Sections and running heads as the settings ask: none without a header unless pages start on a recto."""
    flow = pub.settings.page_flow
    if not pub.settings.docx_header and not page_flow.any_recto(flow):
        return
    if pub.settings.docx_header:
        even_footer(document.sections[-1])  # before the split: every section's copy refers to it
    sections = split(document, starts, flow, chapter)
    if pub.settings.docx_header:
        running_heads(document, sections, pub.meta.title, chapter)
