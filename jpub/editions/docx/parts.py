"""Finishing pandoc's DOCX part by part: what a reference document cannot carry.

Each function takes one parsed part and changes it in place; ``finish`` calls them.
"""

from __future__ import annotations

from docx.shared import Twips
from lxml import etree

from jpub.editions.docx import breaks, ooxml, sections, table_notes
from jpub.editions.docx.fields import caption_descriptions
from jpub.editions.docx.styles import chars, data, text_width_twips, w
from jpub.editions.docx.tables import fit_table
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
    return (found.get(w("val")) or "") if found is not None else ""


def _toc_end(body: etree._Element) -> etree._Element | None:
    """The paragraph where the front's last TOC field ends: the 目次's, or that of the 図表目次 after it."""
    depth, in_toc, end = 0, False, None
    for paragraph in body.iterchildren(w("p")):
        was_in = in_toc
        for node in paragraph.iter(w("fldChar"), w("instrText")):
            if node.tag == w("instrText"):
                in_toc = in_toc or (depth == 1 and (node.text or "").strip().startswith("TOC "))
                continue
            depth += {"begin": 1, "end": -1}.get(node.get(w("fldCharType")) or "", 0)
            if in_toc and depth == 0:
                in_toc, end = False, paragraph
        if end is not None and end is not paragraph and not (was_in or in_toc) and _style_of(paragraph) not in _FRONT_HEADINGS:
            return end
    return end


_FRONT_HEADINGS = ("TOCHeading", "FigureListHeading")  # the 図表目次's title and series titles, between TOC fields


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
    sections.complete(body)
    placed = list(sections.blocks_with_orientation(body))  # held, so each element keeps its proxy (and id)
    landscape = {id(block): turned for block, turned in placed}
    caption_descriptions(body)
    for table in list(body.iter(w("tbl"))):
        top = next((a for a in [table, *table.iterancestors()] if a.getparent() is body), table)
        fit_table(table, text_width_twips(landscape.get(id(top), False)))
        for row in table.iter(w("tr")):
            header = row.find(f"{w('trPr')}/{w('tblHeader')}") is not None
            for style in row.iter(w("pStyle")):
                if header:
                    style.set(w("val"), "TableHeading")  # a paragraph style's font would beat the table style's
                elif style.get(w("val")) in ("Compact", "BodyText", "FirstParagraph"):
                    style.set(w("val"), "TableText")  # left-aligned: a justified cell spreads 「台 風 第 10 号」
    sections.keep_with_notes(body)
    table_notes.space_tables(body)
    for label in list_labels(body):
        breaks.paragraph_format(label).first_line_indent = Twips(0)
    starts = breaks.apply(body, chapter_level(pub.documents["docx"].headings), pub.settings.page_flow)
    return starts if first is None or first in starts else [first, *starts]
