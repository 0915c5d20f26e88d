"""Finishing pandoc's DOCX part by part: what a reference document cannot carry.

Each function takes one parsed part and changes it in place; ``finish`` calls them.
"""

from __future__ import annotations

from docx.shared import Twips
from lxml import etree

from jpub.editions.docx import breaks, ooxml, table_notes
from jpub.editions.docx.styles import chars, data, text_width_twips, w
from jpub.editions.docx.tables import fit_grid
from jpub.editions.fragments import chapter_level
from jpub.publication import Publication


def settings(root: etree._Element, pub: Publication) -> None:
    """Word refreshes the fields (the 目次's page numbers) on opening; Japanese theme language; no rsids."""
    ooxml.set_settings(root, chars(4))  # Japanese Word's default: tab stops every 4 characters


def numbering(root: etree._Element, pub: Publication) -> None:
    """Bulleted lists use 「・」 in the body font, indented by characters rather than half inches."""
    spec = data()["bullets"]
    for level in list(root.iter(w("lvl"))):
        fmt = level.find(w("numFmt"))
        if fmt is None or fmt.get(w("val")) != "bullet":
            continue
        depth = int(level.get(w("ilvl"), "0"))
        left = chars(spec["indent"] * (depth + 1))
        ooxml.set_bullet_level(level, spec["text"], left, chars(spec["hanging"]), pub.settings.docx_serif_font)


def _style_of(paragraph: etree._Element) -> str:
    found = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val")) if found is not None else ""


def _toc_end(body: etree._Element) -> etree._Element | None:
    """The paragraph where the TOC field ends."""
    depth, started = 0, False
    for paragraph in body.iter(w("p")):
        for node in paragraph.iter(w("fldChar"), w("instrText")):
            if node.tag == w("instrText"):
                started = started or (node.text or "").strip().startswith("TOC ")
                continue
            kind = node.get(w("fldCharType"))
            depth += {"begin": 1, "end": -1}.get(kind, 0)
            if started and depth == 0:
                return paragraph
    return None


def _next_block(node: etree._Element) -> etree._Element | None:
    following = node.getnext()
    while following is not None and following.tag not in (w("p"), w("tbl"), w("sectPr")):
        following = following.getnext()
    return following


def _is_bold(run: etree._Element) -> bool:
    bold = run.find(f"{w('rPr')}/{w('b')}")
    return bold is not None and bold.get(w("val"), "1") not in ("0", "false")


def list_labels(body: etree._Element) -> list[etree._Element]:
    """Paragraphs all in bold right above a list (「**第1部の構成**」): labels, set flush like their list."""
    found = []
    for paragraph in body.iterchildren(w("p")):
        following = paragraph.getnext()
        runs = [r for r in paragraph.iter(w("r")) if "".join(t.text or "" for t in r.iter(w("t"))).strip()]
        lists = following is not None and following.find(f"{w('pPr')}/{w('numPr')}") is not None
        if runs and lists and all(_is_bold(r) for r in runs):
            found.append(paragraph)
    return found


def document(root: etree._Element, pub: Publication) -> list[etree._Element]:
    """Page breaks: the body starts on a new page after the 目次, the headings as the page flow says, the
    author's breaks; table grids. Returns the blocks that start a page: the body's first, then headings."""
    body = root.find(w("body"))
    assert body is not None, "a document part has a body"
    end = _toc_end(body)
    first = None
    if end is not None:
        first = _next_block(end)
        if first is None or first.tag != w("p"):
            first = breaks.break_carrier()
            end.addnext(first)
        breaks.set_break(first, True)
    for table in list(body.iter(w("tbl"))):
        fit_grid(table, text_width_twips())
        for row in table.iter(w("tr")):
            if row.find(f"{w('trPr')}/{w('tblHeader')}") is not None:
                for style in row.iter(w("pStyle")):
                    style.set(w("val"), "TableHeading")  # a paragraph style's font would beat the table style's
    table_notes.space_tables(body)
    for label in list_labels(body):
        breaks.paragraph_format(label).first_line_indent = Twips(0)
    starts = breaks.apply(body, chapter_level(pub.documents["docx"].headings), pub.settings.page_flow)
    return starts if first is None or first in starts else [first, *starts]
