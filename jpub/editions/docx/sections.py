"""Sections of the Word edition: a ::: landscape block becomes a landscape section, with the same running
header, page-number footer and margins as the rest and its page numbers running on.

jpub/editions/docx/body.py leaves a paragraph carrying a bare ``w:sectPr`` before and after each such block
(its ``w:pgSz`` says which orientation the section it closes has). Here every such ``w:sectPr`` is completed
from the body's own (headers, footers, margins, numbering, grid): only the first section keeps the cover's
different first page (``w:titlePg``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from lxml import etree

from jpub.editions.docx.ooxml import required_attribute
from jpub.editions.docx.styles import el, w


def _is_landscape(sect: etree._Element) -> bool:
    size = sect.find(w("pgSz"))
    return size is not None and size.get(w("orient")) == "landscape"


def _breaks(body: etree._Element) -> list[etree._Element]:
    """The w:sectPr of every paragraph that ends a section, in order."""
    return [sect for paragraph in body.findall(w("p")) for sect in paragraph.findall(f"{w('pPr')}/{w('sectPr')}")]


def complete(body: etree._Element) -> None:
    """Every section break made a whole section like the body's last one, in its own orientation."""
    final = body.find(w("sectPr"))
    breaks = _breaks(body)
    if final is None or not breaks:
        return
    for index, sect in enumerate(breaks):
        landscape = _is_landscape(sect)
        new = copy.deepcopy(final)
        size = new.find(w("pgSz"))
        if size is not None and landscape:
            width, height = required_attribute(size, "w"), required_attribute(size, "h")  # the body's page (new is its copy), turned
            size.set(w("w"), height)
            size.set(w("h"), width)
            size.set(w("orient"), "landscape")
        if index > 0:
            for first in new.findall(w("titlePg")):
                new.remove(first)
        parent = sect.getparent()
        assert parent is not None  # a break's w:sectPr sits in its paragraph's w:pPr
        parent.replace(sect, new)
    for first in final.findall(w("titlePg")):
        final.remove(first)


def blocks_with_orientation(body: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """Every top-level block of the body with whether it lies in a landscape section."""
    pending: list[etree._Element] = []
    for child in body:
        if child.tag == w("sectPr"):
            break
        pending.append(child)
        sect = child.find(f"{w('pPr')}/{w('sectPr')}") if child.tag == w("p") else None
        if sect is not None:
            landscape = _is_landscape(sect)
            yield from ((block, landscape) for block in pending)
            pending = []
    yield from ((block, False) for block in pending)


def _style(node: etree._Element | None) -> str:
    found = node.find(f"{w('pPr')}/{w('pStyle')}") if node is not None and node.tag == w("p") else None
    return found.get(w("val"), "") if found is not None else ""


def _keep_next(paragraph: etree._Element) -> None:
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = el("pPr")
        paragraph.insert(0, properties)
    if properties.find(w("keepNext")) is None:
        anchor = properties.find(w("pStyle"))
        if anchor is not None:
            anchor.addnext(el("keepNext"))
        else:
            properties.insert(0, el("keepNext"))


_MARKERS = frozenset({w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("permStart"), w("permEnd")})


def _next_content(node: etree._Element) -> etree._Element | None:
    """The next sibling that is not a marker (a caption's bookmark may end right after its table)."""
    following = node.getnext()
    while following is not None and following.tag in _MARKERS:
        following = following.getnext()
    return following


def keep_with_notes(body: etree._Element) -> None:
    """A table's last row kept with the notes under it (表の注), and the notes with each other, so they never
    start the next page apart from the table."""
    for table in body.iter(w("tbl")):
        notes: list[etree._Element] = []
        following = _next_content(table)
        while following is not None and _style(following) == "TableNote":
            notes.append(following)
            following = _next_content(following)
        if not notes:
            continue
        rows = table.findall(w("tr"))
        for paragraph in [*(rows[-1].iter(w("p")) if rows else ()), *notes[:-1]]:
            _keep_next(paragraph)
