"""Finishing pandoc's DOCX with python-docx: styles, settings, lists, the body, the document properties.

What python-docx cannot reach (the font table, the extended properties) and the reproducible zip are
``package``'s.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import docx.document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from lxml import etree

from jpub.editions.docx import fonts, heading_breaks, layout, package, parts, pictures, running_heads
from jpub.editions.docx.styles import DISPLAY_STYLES, Fonts, line_measures, restyle
from jpub.editions.fragments import chapter_level
from jpub.publication import Meta, Publication

PROPERTY_LIMIT = 255  # python-docx (as Word's dialog) takes at most 255 characters per property


def set_core_properties(properties: CoreProperties, meta: Meta) -> None:
    """Title, subject, author, keywords, language; created = modified = the build's timestamp."""
    element = properties._element
    for child in list(element):
        element.remove(child)  # pandoc's empty title and creator, its own dates
    texts = {
        "title": meta.title,
        "subject": meta.subject,
        "author": meta.author,
        "keywords": ", ".join(meta.keywords),
        "language": "ja-JP",
        "last_modified_by": meta.author,
    }
    for name, value in texts.items():
        if value:
            setattr(properties, name, value[:PROPERTY_LIMIT])
    stamp = meta.timestamp().astimezone(dt.UTC).replace(tzinfo=None)
    properties.created = properties.modified = stamp


def finish(raw: bytes, pub: Publication) -> bytes:
    document = docx.Document(io.BytesIO(raw))
    chapter = chapter_level(pub.documents["docx"].headings)
    restyle(document.styles, Fonts.of(pub.settings), chapter, pub.settings.page_flow)
    parts.settings(document.settings.element, pub)
    parts.numbering(document.part.numbering_part.element, pub)
    starts = parts.document(document.element, pub)
    heading_breaks.break_headings(document.element.body, {k: v for k, v in line_measures().items() if k in DISPLAY_STYLES})
    running_heads.apply(document, starts, pub, chapter)
    set_core_properties(document.core_properties, pub.meta)
    drop_empty_parts(document)
    layout.fill(document, lambda current: packaged(current, pub), pub.source.display)
    return packaged(document, pub)


def packaged(document: docx.document.Document, pub: Publication) -> bytes:
    """The document as the file it will be written as."""
    out = io.BytesIO()
    document.save(out)
    return package.rewrite(out.getvalue(), pub, {fonts.THEME: fonts.theme}, [pictures.svg_fallbacks])


def drop_empty_parts(document: docx.document.Document) -> None:
    """pandoc writes a comments part without comments and custom properties without one, whatever the
    input: each goes with its relationship (python-docx then leaves it out of the package)."""
    for owner in (document.part, document.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in (RT.COMMENTS, RT.CUSTOM_PROPERTIES) and not rel.is_external:
                if len(etree.fromstring(rel.target_part.blob)) == 0:
                    del owner.rels[rid]
