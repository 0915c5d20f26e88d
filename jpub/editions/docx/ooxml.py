"""The WordprocessingML python-docx has no API for, written here and nowhere else.

python-docx sets Latin fonts, sizes, weight, colour, paragraph format, sections and properties; it has no
property for the East Asian font (``w:eastAsia``), the language, complex-script weight and size, the
outline level, Japanese line-breaking switches (``overflowPunct``, ``snapToGrid``), paragraph borders,
table-style borders and shading, list levels or document settings. Elements python-docx does not model are
inserted before the first sibling that the schema puts after them, so Word accepts the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
LANG = "ja-JP"
_THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

# The schema's order of the children written here (ECMA-376 CT_PPrBase, CT_RPr, CT_SectPr, the end of
# CT_Settings): an element goes before the first sibling that comes later in its sequence.
PPR: tuple[str, ...] = tuple(
    """
    pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens
    kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing
    mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange
    """.split()
)
RPR: tuple[str, ...] = tuple(
    """
    rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow
    emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz
    szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang
    eastAsianLayout specVanish oMath
    """.split()
)
SECT: tuple[str, ...] = tuple(
    """
    headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType cols
    formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange
    """.split()
)
SETTINGS_END: tuple[str, ...] = tuple(
    """
    updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats
    doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator
    """.split()
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, attrs: Mapping[str, Any] | None = None, *children: etree._Element, text: str | None = None) -> etree._Element:
    """A w: element with w: attributes (values stringified), children and text (spaces kept)."""
    node = etree.Element(w(tag), {w(k): str(v) for k, v in (attrs or {}).items()}, nsmap={"w": W})
    node.extend(children)
    if text is not None:
        node.text = text
        if text != text.strip() or "  " in text:
            node.set(XML_SPACE, "preserve")
    return node


def required_child(parent: etree._Element, tag: str) -> etree._Element:
    """The w:``tag`` child the schema requires of ``parent`` (a table's w:tblPr and w:tblGrid)."""
    found = parent.find(w(tag))
    if found is None:  # pandoc and python-docx always write it: a bug in what made the XML
        raise ValueError(f"w:{etree.QName(parent).localname} has no w:{tag}")
    return found


def required_attribute(node: etree._Element, name: str) -> str:
    """The w:``name`` attribute the schema requires of ``node`` (a w:gridSpan's w:val, a w:pgSz's w:w)."""
    found = node.get(w(name))
    if found is None:  # pandoc and python-docx always write it: a bug in what made the XML
        raise ValueError(f"w:{etree.QName(node).localname} has no w:{name}")
    return found


def insert_ordered(parent: etree._Element, node: etree._Element, sequence: tuple[str, ...]) -> etree._Element:
    """``node`` in place of any of its kind, before the first child that ``sequence`` puts after it."""
    name = etree.QName(node)
    for old in parent.findall(name.text):
        parent.remove(old)
    later = set(sequence[sequence.index(name.localname) + 1 :])
    for child in parent:
        if isinstance(child.tag, str) and etree.QName(child).localname in later:
            child.addprevious(node)
            return node
    parent.append(node)
    return node


def set_paragraph_flag(ppr: etree._Element, tag: str, on: bool) -> None:
    """An on/off paragraph property python-docx has no API for (overflowPunct, snapToGrid)."""
    insert_ordered(ppr, el(tag, {"val": "1" if on else "0"}), PPR)


_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")


def set_border(ppr: etree._Element, side: str, width_pt: float, color: str, space_pt: float) -> None:
    """A rule on one side of the paragraph (a 部's rule below, a 章's bar on the left)."""
    borders = ppr.find(w("pBdr"))
    if borders is None:
        borders = insert_ordered(ppr, el("pBdr"), PPR)
    line = el(side, {"val": "single", "sz": round(width_pt * 8), "space": round(space_pt), "color": color})
    insert_ordered(borders, line, _BORDER_SIDES)


def set_shading(ppr: etree._Element, fill: str) -> None:
    """A paragraph's ground colour."""
    insert_ordered(ppr, el("shd", {"val": "clear", "color": "auto", "fill": fill}), PPR)


def set_outline_level(ppr: Any, level: int) -> None:
    """The outline level that puts a style in the navigation pane and in TOC \\o fields (9 = body text)."""
    ppr.get_or_add_outlineLvl().set(qn("w:val"), str(level))


def set_east_asian_font(rpr: Any, face: str) -> None:
    """The East Asian and complex-script font beside python-docx's ascii/hAnsi; theme fonts removed (a theme
    font would win over w:eastAsia)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONTS:
        fonts.attrib.pop(w(attr), None)
    for attr in ("eastAsia", "cs"):
        fonts.set(w(attr), face)


def _all_fonts(face: str) -> etree._Element:
    return el("rFonts", {"ascii": face, "hAnsi": face, "eastAsia": face, "cs": face})


def set_complex_script(rpr: Any, bold: bool | None, half_points: int | None) -> None:
    """Bold and size for complex scripts too (w:bCs, w:szCs), as Word writes them beside w:b and w:sz."""
    if bold is not None:
        insert_ordered(rpr, el("bCs", {"val": "1" if bold else "0"}), RPR)
    if half_points is not None:
        insert_ordered(rpr, el("szCs", {"val": half_points}), RPR)


def set_language(rpr: etree._Element) -> None:
    """ja-JP for Latin and East Asian text (no bidi language)."""
    insert_ordered(rpr, el("lang", {"val": LANG, "eastAsia": LANG}), RPR)


def set_custom(style: etree._Element, custom: bool) -> None:
    """Whether Word lists the style as the document's own (w:customStyle) rather than one of its built-ins."""
    if custom:
        style.set(w("customStyle"), "1")
    else:
        style.attrib.pop(w("customStyle"), "")


def remove_numbering(style: etree._Element) -> None:
    """Heading numbers are literal in the text: no style may carry Word list numbering."""
    for num in list(style.iter(w("numPr"))):
        parent = num.getparent()
        if parent is not None:
            parent.remove(num)


def remove_revision_ids(root: etree._Element) -> None:
    for rsid in list(root.iter(w("rsid"), w("rsids"))):
        parent = rsid.getparent()
        if parent is not None:
            parent.remove(rsid)


def set_doc_defaults(styles: etree._Element, face: str, size: int, line: int, after: int) -> None:
    """w:docDefaults (python-docx has no API for them): the body face and size, ja-JP, the line pitch."""
    rpr = el("rPr", None, _all_fonts(face), el("sz", {"val": size}), el("szCs", {"val": size}), el("lang", {"val": LANG, "eastAsia": LANG}))
    # overflowPunct written out as Word's default (on): LibreOffice 7.4 reads an explicit "on" as no hanging
    # punctuation; left implicit, it hangs 、。 into the margin and its PDF export loses them
    ppr = el(
        "pPr", None, el("overflowPunct", {"val": "1"}), el("snapToGrid", {"val": "0"}), el("spacing", {"after": after, "line": line, "lineRule": "atLeast"})
    )
    defaults = el("docDefaults", None, el("rPrDefault", None, rpr), el("pPrDefault", None, ppr))
    for old in styles.findall(w("docDefaults")):
        styles.remove(old)
    styles.insert(0, defaults)


def set_table_rules(style: etree._Element, border_pt: float, color: str, padding_twips: Mapping[str, int]) -> None:
    """A table style's rules on every edge and between cells, and its cell padding."""
    edge = {"val": "single", "sz": round(border_pt * 8), "space": 0, "color": color}
    borders = el("tblBorders", None, *(el(side, edge) for side in ("top", "left", "bottom", "right", "insideH", "insideV")))
    margins = el("tblCellMar", None, *(el(side, {"w": value, "type": "dxa"}) for side, value in padding_twips.items()))
    style.append(el("tblPr", None, borders, margins))


def set_first_row(style: etree._Element, face: str, bold: bool, fill: str) -> None:
    """A table style's header row: its face and weight, on a shaded ground."""
    weight = "1" if bold else "0"
    rpr = el("rPr", None, _all_fonts(face), el("b", {"val": weight}), el("bCs", {"val": weight}))
    shading = el("tcPr", None, el("shd", {"val": "clear", "color": "auto", "fill": fill}))
    style.append(el("tblStylePr", {"type": "firstRow"}, rpr, shading))


def set_section_numbering_and_grid(sect: etree._Element) -> None:
    """Decimal page numbers, no document grid (lines keep their own pitch), no per-section footnote restart."""
    for old in sect.findall(w("footnotePr")):
        sect.remove(old)  # pandoc's reference restarts footnote numbers in each section
    insert_ordered(sect, el("pgNumType", {"fmt": "decimal"}), SECT)
    insert_ordered(sect, el("docGrid", {"linePitch": 360}), SECT)  # no w:type: no grid


def field_runs(instruction: str, cached: str) -> list[etree._Element]:
    """A complex field (begin, instruction, separate, its cached result, end) as runs."""
    return [
        el("r", None, el("fldChar", {"fldCharType": "begin"})),
        el("r", None, el("instrText", None, text=f" {instruction} ")),
        el("r", None, el("fldChar", {"fldCharType": "separate"})),
        el("r", None, el("t", None, text=cached)),
        el("r", None, el("fldChar", {"fldCharType": "end"})),
    ]


def set_settings(settings: etree._Element, tab_twips: int) -> None:
    """Fields refreshed on opening, the current layout (no 互換モード), Japanese theme language, tab stops."""
    remove_revision_ids(settings)
    insert_ordered(settings, el("updateFields", {"val": "true"}), SETTINGS_END)
    mode = {"name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word", "val": "15"}
    # doNotExpandShiftReturn: a line ended by a manual break is not stretched when justified
    compat = el("compat", None, el("doNotExpandShiftReturn"), el("compatSetting", mode))
    insert_ordered(settings, compat, SETTINGS_END)
    insert_ordered(settings, el("themeFontLang", {"val": "en-US", "eastAsia": LANG}), SETTINGS_END)
    for tab in settings.iter(w("defaultTabStop")):
        tab.set(w("val"), str(tab_twips))


def set_bullet_level(level: etree._Element, text: str, left: int, hanging: int, face: str) -> None:
    """A bulleted list level: its mark, its indents, the mark in ``face``."""
    found = level.find(w("lvlText"))
    if found is not None:
        found.set(w("val"), text)
    for tag in ("pPr", "rPr"):
        for old in level.findall(w(tag)):
            level.remove(old)
    level.append(el("pPr", None, el("ind", {"left": left, "hanging": hanging})))
    level.append(el("rPr", None, el("rFonts", {"ascii": face, "hAnsi": face, "eastAsia": face, "cs": face, "hint": "eastAsia"})))
