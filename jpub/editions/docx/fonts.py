"""The theme's fonts and the font table: the configured Japanese faces, and only the fonts the file uses.

Every style names its fonts, so the theme changes no rendering; it is what Word's font menu shows as
「見出しのフォント」 and 「本文のフォント」 and what a style added in Word starts from (pandoc's theme
says Aptos). The font table is what Word and LibreOffice substitute a missing face by: each face the
file names, the known Japanese ones with their alternative name, PANOSE, Shift_JIS charset and family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from jpub.editions.docx.ooxml import el, w
from jpub.editions.docx.styles import Fonts, data
from jpub.publication import Publication

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
FONT_TABLE = "word/fontTable.xml"
THEME = "word/theme/theme1.xml"
_NOT_USING = (FONT_TABLE, THEME, "word/settings.xml", "word/webSettings.xml")


def a(tag: str) -> str:
    return f"{{{A}}}{tag}"


def theme(root: etree._Element, pub: Publication) -> None:
    """Major (headings) font: the Gothic face; minor (body): the Mincho — for Latin, East Asian and Japanese."""
    fonts = Fonts.of(pub.settings)
    known: Mapping[str, Any] = data()["fonts"]
    for group_tag, face in (("majorFont", fonts.sans), ("minorFont", fonts.serif)):
        for group in root.iter(a(group_tag)):
            latin = group.find(a("latin"))
            if latin is not None:
                latin.set("typeface", face)
                panose = known.get(face, {}).get("panose")
                if panose:
                    latin.set("panose", panose)
                else:
                    latin.attrib.pop("panose", "")  # the old face's PANOSE would describe another face
            east_asian = group.find(a("ea"))
            if east_asian is not None:
                east_asian.set("typeface", face)
            scripts = [f for f in group.findall(a("font")) if f.get("script") == "Jpan"]
            jpan = scripts[0] if scripts else etree.SubElement(group, a("font"), {"script": "Jpan"})
            jpan.set("typeface", face)


def used_faces(contents: Mapping[str, bytes]) -> list[str]:
    """Every face a run, style, list level, header, footer or note names, in the order first met (styles first)."""
    seen: dict[str, None] = {}
    names = sorted((n for n in contents if n.startswith("word/") and n.endswith(".xml") and n not in _NOT_USING), key=lambda n: (n != "word/styles.xml", n))
    math = False
    for name in names:
        root = etree.fromstring(contents[name])
        math = math or root.find(f".//{{{M}}}oMath") is not None
        for fonts in root.iter(w("rFonts")):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                face = fonts.get(w(attr))
                if face:
                    seen.setdefault(face, None)
    if math:
        seen.setdefault("Cambria Math", None)
    return list(seen)


def font_table(contents: dict[str, bytes], pub: Publication) -> None:
    """The font table rebuilt with the faces in use; known faces described for substitution, the configured
    ones at least as Japanese (Shift_JIS) faces of their family."""
    if FONT_TABLE not in contents:
        return
    root = etree.fromstring(contents[FONT_TABLE])
    old = {node.get(w("name")): node for node in root.findall(w("font"))}
    for node in list(root):
        root.remove(node)
    configured = Fonts.of(pub.settings)
    known: Mapping[str, Any] = {
        configured.serif: {"family": "roman"},
        configured.sans: {"family": "swiss"},
        **data()["fonts"],
    }
    for face in used_faces(contents):
        info = known.get(face)
        if info:
            node = el("font", {"name": face})
            node.extend([el(tag, {"val": info[key]}) for tag, key in (("altName", "alt"), ("panose1", "panose")) if key in info])
            node.extend([el("charset", {"val": "80"}), el("family", {"val": info["family"]}), el("pitch", {"val": "variable"})])
        else:
            node = old.get(face, el("font", {"name": face}))
        root.append(node)
    contents[FONT_TABLE] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
