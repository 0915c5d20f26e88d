"""The DOCX package: parts python-docx cannot reach, the extended properties, a byte-reproducible zip.

The zip is written anew: entries in a fixed order, every timestamp the build's timestamp, fixed
permissions, so the same source always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from xml.sax.saxutils import escape

from lxml import etree

from jpub.editions.docx import fonts
from jpub.publication import Publication

Transform = Callable[[etree._Element, Publication], None]
PackageStep = Callable[[dict[str, bytes], Publication], None]  # may change and add parts
FIRST = ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels")


def app_xml(pub: Publication) -> bytes:
    """docProps/app.xml without pandoc's made-up statistics (Word recounts pages and words itself)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Template>Normal.dotm</Template><Application>jpub</Application><Company>{escape(pub.meta.author)}</Company>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><SharedDoc>false</SharedDoc>"
        "<LinksUpToDate>false</LinksUpToDate><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def zip_time(pub: Publication) -> tuple[int, int, int, int, int, int]:
    stamp = pub.meta.timestamp().astimezone(dt.UTC)
    if stamp.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


def order(names: list[str]) -> list[str]:
    return [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)


def rewrite(raw: bytes, pub: Publication, parts: Mapping[str, Transform], steps: Sequence[PackageStep] = ()) -> bytes:
    """Apply the package steps (which may add parts), then the part transforms; rebuild the font table, replace
    the extended properties and write a reproducible zip."""
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        contents = {name: source.read(name) for name in source.namelist()}
    for step in steps:
        step(contents, pub)
    for name, transform in parts.items():
        if name in contents:
            root = etree.fromstring(contents[name])
            transform(root, pub)
            contents[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    fonts.font_table(contents, pub)
    contents["docProps/app.xml"] = app_xml(pub)
    out = io.BytesIO()
    when = zip_time(pub)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order(list(contents)):
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system = 0
            info.external_attr = 0
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, contents[name], compresslevel=9)
    return out.getvalue()
