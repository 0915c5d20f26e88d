"""Pictures of the Word edition, finished in the package.

- Alt text: pandoc puts the image's alt text in ``wp:docPr/@descr`` but its source — here the whole base64
  ``data:`` URL — in ``pic:cNvPr/@descr``; both get the alt text.
- SVG: pandoc embeds an SVG as an ``asvg:svgBlip`` (Word 2016 and later draw it) and would ask rsvg-convert
  for the PNG every other reader needs in the ``a:blip`` itself; without one the figure is blank in LibreOffice
  and older Word. The PNG is rendered here with resvg (resvg-py), at twice the SVG's size, in the print
  edition's faces — the only faces it may use, so no fallback font can enter it. (CairoSVG did the same work
  in about the same time on this machine, 0.18 s against 0.19 s for the test figure, but needs the system's
  cairo; resvg is one self-contained wheel.)
"""

from __future__ import annotations

import posixpath

import resvg_py
from lxml import etree

from jpub import fontfiles
from jpub.publication import Publication

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
EMBED = f"{{{NS['r']}}}embed"
RELS = "word/_rels/document.xml.rels"
ZOOM = 2


def alt_texts(document: etree._Element) -> None:
    """Every picture's ``pic:cNvPr/@descr`` the alt text of its drawing (``wp:docPr/@descr``)."""
    for drawing in document.iter(f"{{{NS['w']}}}drawing"):
        described = drawing.find(".//wp:docPr", NS)
        for picture in drawing.iterfind(".//pic:cNvPr", NS):
            picture.set("descr", described.get("descr", "") if described is not None else "")


def render_png(svg: bytes, pub: Publication) -> bytes:
    """The SVG as a PNG at twice its size, its text in the print edition's faces."""
    settings = pub.settings
    faces = [found.path for found in (fontfiles.find(settings.sans_font), fontfiles.find(settings.serif_font), fontfiles.find(settings.mono_font)) if found]
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"),
            zoom=ZOOM,
            skip_system_fonts=bool(faces),
            font_files=faces or None,
            sans_serif_family=settings.sans_font,
            serif_family=settings.serif_font,
            monospace_family=settings.mono_font,
            font_family=settings.sans_font,
            languages=["ja"],
        )
    )


def svg_fallbacks(contents: dict[str, bytes], pub: Publication) -> None:
    """A PNG rendered for every SVG picture whose blip has none, added to the package and named in the blip."""
    document = etree.fromstring(contents["word/document.xml"])
    rels = etree.fromstring(contents[RELS])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    changed = False
    for blip in document.iterfind(".//a:blip", NS):
        svg_blip = blip.find(".//asvg:svgBlip", NS)
        if svg_blip is None or blip.get(EMBED):
            continue
        target = targets.get(svg_blip.get(EMBED))
        if target is None:
            continue  # no relationship names the SVG's part: nothing to render
        name = posixpath.normpath(posixpath.join("word", target))
        if name not in contents:
            continue
        png_name = posixpath.splitext(name)[0] + ".fallback.png"
        contents[png_name] = render_png(contents[name], pub)
        rel_id = f"rIdFallback{len(targets) + 1}"
        png_target = targets[rel_id] = posixpath.relpath(png_name, "word")
        rels.append(etree.Element(f"{{{NS['rel']}}}Relationship", {"Id": rel_id, "Type": IMAGE_REL, "Target": png_target}))
        blip.set(EMBED, rel_id)
        changed = True
    alt_texts(document)
    contents["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    if changed:
        contents[RELS] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        _declare_png(contents)


def _declare_png(contents: dict[str, bytes]) -> None:
    types = etree.fromstring(contents["[Content_Types].xml"])
    if not any(node.get("Extension", "").lower() == "png" for node in types.iterfind("ct:Default", NS)):
        types.insert(0, etree.Element(f"{{{NS['ct']}}}Default", {"Extension": "png", "ContentType": "image/png"}))
        contents["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
