"""Finishing pandoc's DOCX part by part: what a reference document cannot carry.

Each function takes one parsed part and changes it in place; ``PARTS`` says which part gets which.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from jpub.editions.docx import sections
from jpub.editions.docx.fields import caption_descriptions
from jpub.editions.docx.reference import restyle
from jpub.editions.docx.styles import Fonts, chars, data, el, w
from jpub.editions.docx.tables import fit_table
from jpub.editions.fragments import chapter_level
from jpub.publication import Publication

# settings.xml children that must come after w:updateFields (ECMA-376 CT_Settings order)
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
_AFTER_THEME_FONT_LANG = _AFTER_UPDATE_FIELDS[_AFTER_UPDATE_FIELDS.index("themeFontLang") + 1 :]


def _insert_before_any(parent: etree._Element, node: etree._Element, later: tuple[str, ...]) -> None:
    for child in parent:
        if etree.QName(child).localname in later:
            child.addprevious(node)
            return
    parent.append(node)


def _replace(parent: etree._Element, node: etree._Element, later: tuple[str, ...]) -> None:
    for old in parent.findall(node.tag):
        parent.remove(old)
    _insert_before_any(parent, node, later)


def compat() -> etree._Element:
    """Current Word layout (no 互換モード); a line ended by a manual break is not stretched when justified."""
    mode = {"name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word", "val": "15"}
    return el("compat", None, el("doNotExpandShiftReturn"), el("compatSetting", mode))


def settings(root: etree._Element, pub: Publication) -> None:
    """Word refreshes the fields (the 目次's page numbers) on opening; Japanese theme language; no rsids."""
    for rsids in root.findall(w("rsids")):
        root.remove(rsids)
    _replace(root, el("updateFields", {"val": "true"}), _AFTER_UPDATE_FIELDS)
    _replace(root, compat(), _AFTER_UPDATE_FIELDS[_AFTER_UPDATE_FIELDS.index("compat") + 1 :])
    _replace(root, el("themeFontLang", {"val": "en-US", "eastAsia": "ja-JP"}), _AFTER_THEME_FONT_LANG)
    for tab in root.iter(w("defaultTabStop")):
        tab.set(w("val"), str(chars(4)))  # Japanese Word's default: tab stops every 4 characters


def styles(root: etree._Element, pub: Publication) -> None:
    restyle(root, Fonts.of(pub.settings), chapter_level(pub.documents["docx"].headings))


def numbering(root: etree._Element, pub: Publication) -> None:
    """Bulleted lists use 「・」 in the body font, indented by characters rather than half inches."""
    spec = data()["bullets"]
    face = pub.settings.docx_serif_font
    for level in list(root.iter(w("lvl"))):
        fmt = level.find(w("numFmt"))
        if fmt is None or fmt.get(w("val")) != "bullet":
            continue
        depth = int(level.get(w("ilvl")))
        level.find(w("lvlText")).set(w("val"), spec["text"])
        for tag in ("pPr", "rPr"):
            for old in level.findall(w(tag)):
                level.remove(old)
        left = chars(spec["indent"] * (depth + 1))
        level.append(el("pPr", None, el("ind", {"left": left, "hanging": chars(spec["hanging"])})))
        level.append(el("rPr", None, el("rFonts", {"ascii": face, "hAnsi": face, "eastAsia": face, "cs": face, "hint": "eastAsia"})))


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
    """The paragraph where the front's last TOC field ends: the 目次's, or that of the 図表目次 after it."""
    depth, in_toc, end = 0, False, None
    for paragraph in body.iterchildren(w("p")):
        was_in = in_toc
        for node in paragraph.iter(w("fldChar"), w("instrText")):
            if node.tag == w("instrText"):
                in_toc = in_toc or (depth == 1 and (node.text or "").strip().startswith("TOC "))
                continue
            depth += {"begin": 1, "end": -1}.get(node.get(w("fldCharType")), 0)
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
    sections.complete(body)
    placed = list(sections.blocks_with_orientation(body))  # held, so each element keeps its proxy (and id)
    landscape = {id(block): turned for block, turned in placed}
    caption_descriptions(body)
    for table in list(body.iter(w("tbl"))):
        top = next((a for a in [table, *table.iterancestors()] if a.getparent() is body), table)
        fit_table(table, sections.text_width_twips(landscape.get(id(top), False)))
        for row in table.iter(w("tr")):
            header = row.find(f"{w('trPr')}/{w('tblHeader')}") is not None
            for style in row.iter(w("pStyle")):
                if header:
                    style.set(w("val"), "TableHeading")  # a paragraph style's font would beat the table style's
                elif style.get(w("val")) in ("Compact", "BodyText", "FirstParagraph"):
                    style.set(w("val"), "TableText")  # left-aligned: a justified cell spreads 「台 風 第 10 号」
    previous = ""
    for paragraph in list(body.iter(w("p"))):
        style = _style_of(paragraph)
        if style == "Heading2" and previous == "Heading1":
            _set_break(paragraph, False)
        previous = style
    sections.keep_with_notes(body)


PARTS: dict[str, Callable[[etree._Element, Publication], None]] = {
    "word/document.xml": document,
    "word/styles.xml": styles,
    "word/settings.xml": settings,
    "word/numbering.xml": numbering,
    "word/fontTable.xml": font_table,
}
