"""Finishing pandoc's DOCX part by part: what a reference document cannot carry.

Each function takes one parsed part and changes it in place; ``finish`` calls them.
"""

from __future__ import annotations

from lxml import etree

from jpub.editions.docx import ooxml
from jpub.editions.docx.styles import Fonts, chars, data, el, text_width_twips, w
from jpub.editions.docx.tables import fit_grid
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


def font_table(root: etree._Element, pub: Publication) -> None:
    """Entries for the two Japanese faces: alternative name, Shift_JIS charset and family for substitution."""
    known = data()["fonts"]
    fonts = Fonts.of(pub.settings)
    for face, family in ((fonts.serif, "roman"), (fonts.sans, "swiss")):
        for old in root.findall(w("font")):
            if old.get(w("name")) == face:
                root.remove(old)
        info = known.get(face, {})
        node = el("font", {"name": face})
        if info.get("alt"):
            node.append(el("altName", {"val": info["alt"]}))
        if info.get("panose"):
            node.append(el("panose1", {"val": info["panose"]}))
        node.extend([el("charset", {"val": "80"}), el("family", {"val": info.get("family", family)}), el("pitch", {"val": "variable"})])
        root.insert(0, node)


def _style_of(paragraph: etree._Element) -> str:
    found = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val")) if found is not None else ""


def _set_break(paragraph: etree._Element, on: bool) -> None:
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        paragraph.insert(0, ppr)
    for old in ppr.findall(w("pageBreakBefore")):
        ppr.remove(old)
    style = ppr.find(w("pStyle"))
    node = el("pageBreakBefore", {"val": "1" if on else "0"})
    if style is not None:
        style.addnext(node)
    else:
        ppr.insert(0, node)


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


def document(root: etree._Element, pub: Publication) -> None:
    """Page breaks: the body starts on a new page after the 目次; a 章 right under its 部 shares the 部's page."""
    body = root.find(w("body"))
    end = _toc_end(body)
    if end is not None:
        first = _next_block(end)
        if first is None or first.tag != w("p"):
            first = el("p")
            end.addnext(first)
        _set_break(first, True)
    for table in list(body.iter(w("tbl"))):
        fit_grid(table, text_width_twips())
        for row in table.iter(w("tr")):
            if row.find(f"{w('trPr')}/{w('tblHeader')}") is not None:
                for style in row.iter(w("pStyle")):
                    style.set(w("val"), "TableHeading")  # a paragraph style's font would beat the table style's
    previous = ""
    for paragraph in list(body.iter(w("p"))):
        style = _style_of(paragraph)
        if style == "Heading2" and previous == "Heading1":
            _set_break(paragraph, False)
        previous = style
