"""The Word reference document, generated from code: pandoc's default, made Japanese and A4."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from .. import pandoc
from ..settings import Settings

HEADING_STYLES = ("Heading1", "Heading2", "Heading3", "Heading4", "Title", "Subtitle", "TOCHeading")


def set_fonts(rpr, latin: str, east_asian: str) -> None:
    """rFonts with an explicit East Asian font and ja-JP; theme fonts removed so they cannot override."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "ja-JP")
    lang.set(qn("w:eastAsia"), "ja-JP")


def japanese_styles(document: docx.document.Document, settings: Settings) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, settings.docx_serif_font, settings.docx_serif_font)
    for style in styles.findall(qn("w:style")):
        family = settings.docx_sans_font if style.get(qn("w:styleId")) in HEADING_STYLES else settings.docx_serif_font
        set_fonts(style.get_or_add_rPr(), family, family)


def a4(document: docx.document.Document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(30)
        section.left_margin = section.right_margin = Mm(25)


def build(settings: Settings) -> bytes:
    document = docx.Document(io.BytesIO(pandoc.run(["--print-default-data-file", "reference.docx"], b"")))
    japanese_styles(document, settings)
    a4(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
