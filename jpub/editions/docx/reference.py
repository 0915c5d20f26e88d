"""The Word reference document pandoc writes with: pandoc's own, restyled from templates/docx/styles.yaml.

It carries the styles, the A4 page, the running header and the page-number footer; pandoc copies all
of them into the edition.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.section import Section
from docx.shared import Twips

from jpub import pandoc
from jpub.editions.docx import ooxml
from jpub.editions.docx.styles import TWIPS_PER_MM, Fonts, data, restyle
from jpub.editions.fragments import chapter_level
from jpub.publication import Publication


def _mm(value: float) -> Twips:
    return Twips(round(value * TWIPS_PER_MM))


def set_page(section: Section) -> None:
    """A4 portrait, margins and header/footer distances from the data; the cover without header and folio."""
    page = data()["page"]
    margins = page["margins"]
    section.page_width, section.page_height = _mm(page["width"]), _mm(page["height"])
    section.top_margin, section.right_margin = _mm(margins["top"]), _mm(margins["right"])
    section.bottom_margin, section.left_margin = _mm(margins["bottom"]), _mm(margins["left"])
    section.header_distance, section.footer_distance = _mm(margins["header"]), _mm(margins["footer"])
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True
    ooxml.set_section_numbering_and_grid(section._sectPr)


def _page_setup(document: docx.document.Document, pub: Publication) -> None:
    section = document.sections[0]
    set_page(section)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles.get_by_id("Footer", WD_STYLE_TYPE.PARAGRAPH)
    footer._p.extend(ooxml.field_runs("PAGE", "1"))
    if pub.settings.docx_header:
        header = section.header.paragraphs[0]
        header.style = document.styles.get_by_id("Header", WD_STYLE_TYPE.PARAGRAPH)
        header.add_run(pub.meta.title)


def build(pub: Publication, extra: Sequence[Mapping[str, Any]] = ()) -> bytes:
    """The reference document for this publication (its header carries the title); ``extra`` styles (the colour
    styles this document uses) are defined beside those of styles.yaml."""
    fonts = Fonts.of(pub.settings)
    document = docx.Document(io.BytesIO(pandoc.run(["--print-default-data-file", "reference.docx"], b"")))
    restyle(document.styles, fonts, chapter_level(pub.documents["docx"].headings), pub.settings.page_flow, extra)
    _page_setup(document, pub)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
