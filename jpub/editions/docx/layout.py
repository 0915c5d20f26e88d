"""Cached field results from LibreOffice's layout of the finished file: the 目次's page numbers and the
running heads that depend on pages.

The file is laid out with every 目次 entry in its final form and a three-digit placeholder for its page
(wider than any real number, so a real one cannot push an entry onto a second line); the page of each
heading is read from the PDF by its bookmark's name. If an entry of that layout took two lines, the real
numbers could shorten the 目次, so the file is laid out again with them until the pages hold still. Word
keeps the fields (the TOC is marked dirty and ``w:updateFields`` is set) and recomputes them with its own
layout and fonts when the reader lets it; every other reader sees these.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import docx.document
from pypdf import PdfReader

from jpub import libreoffice
from jpub.editions.docx import running_pages, toc_pages
from jpub.editions.docx.ooxml import w

PLACEHOLDER = "000"
MAX_LAYOUTS = 3


@dataclass(frozen=True)
class Layout:
    pages: dict[str, int]  # destination name (libreoffice.destination_name of a bookmark) → printed page number
    page_count: int
    numbers_beside_titles: bool  # no number went to a line of its own: real ones, narrower, cannot move a page


def read_layout(pdf: bytes, titles: list[str], first_number: int) -> Layout:
    reader = PdfReader(io.BytesIO(pdf))
    indexes = {str(name).lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    pages = {name: index + first_number for name, index in indexes.items() if index is not None}
    lines = [line for page in reader.pages[:10] for line in (page.extract_text() or "").splitlines()]
    return Layout(pages, len(reader.pages), numbers_beside_titles(lines, titles))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def numbers_beside_titles(lines: list[str], titles: list[str]) -> bool:
    """Whether each title ends on a line that ends with the placeholder number (the 目次's text lines)."""
    ends = [_squash(line) for line in lines if _squash(line).endswith(PLACEHOLDER)]
    return all(any(_squash(title)[-4:] in line for line in ends) for title in titles)


def first_page_number(document: docx.document.Document) -> int:
    """The printed number of the first page: the first section's w:pgNumType/@w:start, else 1."""
    found = document.sections[0]._sectPr.find(f"{w('pgNumType')}")
    start = found.get(w("start")) if found is not None else None
    return int(start) if start and start.isdigit() else 1


def fill(document: docx.document.Document, packaged: Callable[[docx.document.Document], bytes], where: str) -> None:
    """The 目次's page numbers and the page-dependent running heads, from LibreOffice's layout of
    ``packaged(document)`` (the file as it will be written). Without LibreOffice, nothing is filled."""
    if libreoffice.executable() is None:
        return  # the checks warned (docx-layout): the 目次 keeps its titles alone
    body = document.element.body
    entries = toc_pages.entries(body)
    for entry in entries:
        toc_pages.set_page(entry, PLACEHOLDER)
    first = first_page_number(document)
    try:
        layout = read_layout(libreoffice.to_pdf(packaged(document)), [e.title for e in entries], first)
        final, count = layout.numbers_beside_titles, 1
        while not final and count < MAX_LAYOUTS:
            for entry in entries:
                toc_pages.set_page(entry, _number(layout, entry.anchor))
            again = read_layout(libreoffice.to_pdf(packaged(document)), [], first)
            final, layout, count = again.pages == layout.pages, again, count + 1
    except libreoffice.LibreOfficeError as error:
        for entry in entries:
            toc_pages.set_page(entry, None)
        print(
            f"{where}: warning: LibreOffice でページを割り付けられなかったため、Word 版の目次にページ番号を入れていません（{error}） [docx-layout]",
            file=sys.stderr,
        )
        return
    for entry in entries:
        toc_pages.set_page(entry, _number(layout, entry.anchor))
    running_pages.fill_heads(document, layout.pages, first + layout.page_count - 1)


def _number(layout: Layout, anchor: str) -> str | None:
    page = layout.pages.get(libreoffice.destination_name(anchor))
    return str(page) if page is not None else None
