"""The Word reference document pandoc writes with: pandoc's own, restyled from templates/docx/styles.yaml.

It carries the styles, the A4 page, the running header and the page-number footer; pandoc copies all
of them into the edition.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from jpub import pandoc
from jpub.editions.docx.styles import TWIPS_PER_MM, Fonts, data, doc_defaults, el, style, table_style, w
from jpub.editions.fragments import chapter_level
from jpub.publication import Publication

_THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
COLOUR_STYLE_PREFIX = "TextColor"  # jpub/editions/docx/body.py: colour_style


def _set_fonts(rpr: etree._Element, face: str) -> None:
    """Explicit fonts for every script, theme fonts removed (a theme font would win over w:eastAsia), ja-JP."""
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        fonts = el("rFonts")
        rpr.insert(1 if len(rpr) and rpr[0].tag == w("rStyle") else 0, fonts)
    for attr in _THEME_FONTS:
        fonts.attrib.pop(w(attr), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attr), face)
    lang = rpr.find(w("lang"))
    if lang is None:
        later = [child for child in rpr if child.tag in (w("eastAsianLayout"), w("specVanish"), w("oMath"))]
        lang = el("lang")
        if later:
            later[0].addprevious(lang)
        else:
            rpr.append(lang)
    lang.attrib.pop(w("bidi"), None)
    lang.set(w("val"), "ja-JP")
    lang.set(w("eastAsia"), "ja-JP")


def _rpr(style_el: etree._Element) -> etree._Element:
    found = style_el.find(w("rPr"))
    if found is None:
        found = el("rPr")
        after = [c for c in style_el if c.tag in (w("tblPr"), w("trPr"), w("tcPr"), w("tblStylePr"))]
        if after:
            after[0].addprevious(found)
        else:
            style_el.append(found)
    return found


def resolve(spec: dict, chapter: int) -> dict:
    """A style's data for this document: ``page_break: chapter`` holds for levels down to 章's."""
    if spec.get("page_break") == "chapter":
        return {**spec, "page_break": spec["outline"] + 1 <= chapter}
    return spec


def restyle(styles: etree._Element, fonts: Fonts, chapter: int, extra: Sequence[Mapping[str, Any]] = ()) -> None:
    """Make a styles part Japanese and ours: docDefaults, every style's fonts, the styles from the data.

    ``chapter`` is the heading level of 章 in the document (1 without 部, 2 with).
    """
    old = styles.find(w("docDefaults"))
    defaults = doc_defaults(fonts)
    if old is not None:
        old.addprevious(defaults)
        styles.remove(old)
    else:
        styles.insert(0, defaults)
    for rsid in list(styles.iter(w("rsid"))):
        rsid.getparent().remove(rsid)
    by_id = {s.get(w("styleId")): s for s in styles.findall(w("style"))}
    sans_ids = {spec["id"] for spec in data()["styles"] if spec.get("font") == "sans"}
    sans_ids |= {f"{sid}Char" for sid in sans_ids}
    for sid, node in by_id.items():
        # a colour style (文字色 …) changes the colour alone: with a face it would set a heading's words in 明朝
        if node.get(w("type")) != "numbering" and not (sid or "").startswith(COLOUR_STYLE_PREFIX):
            _set_fonts(_rpr(node), fonts.sans if sid in sans_ids else fonts.serif)
    for spec in [*data()["styles"], *extra, None, "compact"]:
        new = style(resolve(spec, chapter), fonts) if isinstance(spec, dict) else table_style(fonts, compact=spec == "compact")
        sid = new.get(w("styleId"))
        if sid in by_id:
            by_id[sid].addprevious(new)
            styles.remove(by_id[sid])
        else:
            styles.append(new)
        if isinstance(spec, dict):
            _keep_numbering_free(new)


def _keep_numbering_free(style_el: etree._Element) -> None:
    """Heading numbers are literal in the text: no style may carry Word list numbering."""
    for num in list(style_el.iter(w("numPr"))):
        num.getparent().remove(num)


def section_properties(title_page: bool = True) -> list[etree._Element]:
    """pgSz, pgMar and docGrid of the one section: A4 portrait, margins from the data, no line grid."""
    page = data()["page"]
    margins = {k: round(v * TWIPS_PER_MM) for k, v in page["margins"].items()}
    out = [
        el("pgSz", {"w": round(page["width"] * TWIPS_PER_MM), "h": round(page["height"] * TWIPS_PER_MM)}),
        el("pgMar", {**{k: margins[k] for k in ("top", "right", "bottom", "left", "header", "footer")}, "gutter": 0}),
        el("pgNumType", {"fmt": "decimal"}),
    ]
    if title_page:
        out.append(el("titlePg"))  # the cover has no header and no page number
    out.append(el("docGrid", {"linePitch": 360}))  # no w:type: no document grid, lines keep their own pitch
    return out


def _page_field(paragraph) -> None:
    instr = el("r", None, el("instrText", None))
    instr[0].text = " PAGE "
    instr[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    result = el("r", None, el("t"))
    result[0].text = "1"
    for node in (
        el("r", None, el("fldChar", {"fldCharType": "begin"})),
        instr,
        el("r", None, el("fldChar", {"fldCharType": "separate"})),
        result,
        el("r", None, el("fldChar", {"fldCharType": "end"})),
    ):
        paragraph._p.append(node)


def _page_setup(document: docx.document.Document, pub: Publication) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer._p.get_or_add_pPr().get_or_add_pStyle().val = "Footer"
    _page_field(footer)
    if pub.settings.docx_header:
        header = section.header.paragraphs[0]
        header._p.get_or_add_pPr().get_or_add_pStyle().val = "Header"
        header.add_run(pub.meta.title)
    sect = section._sectPr
    keep = [c for c in sect if c.tag in (qn("w:headerReference"), qn("w:footerReference"))]
    for child in list(sect):
        sect.remove(child)
    sect.extend(keep)
    sect.extend(section_properties())


def build(pub: Publication, extra: Sequence[Mapping[str, Any]] = ()) -> bytes:
    """The reference document for this publication (its header carries the title); ``extra`` styles (the colour
    styles this document uses) are defined beside those of styles.yaml."""
    fonts = Fonts.of(pub.settings)
    document = docx.Document(io.BytesIO(pandoc.run(["--print-default-data-file", "reference.docx"], b"")))
    restyle(document.styles.element, fonts, chapter_level(pub.documents["docx"].headings), extra)
    _page_setup(document, pub)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
