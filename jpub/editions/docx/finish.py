"""Finishing pandoc's DOCX with python-docx: styles, settings, lists, the body, the document properties.

What python-docx cannot reach (the font table, the extended properties) and the reproducible zip are
``package``'s.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.opc.coreprops import CoreProperties

from jpub.editions.docx import package, parts
from jpub.editions.docx.styles import Fonts, restyle
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
    restyle(document.styles, Fonts.of(pub.settings), chapter_level(pub.documents["docx"].headings))
    parts.settings(document.settings.element, pub)
    parts.numbering(document.part.numbering_part.element, pub)
    parts.document(document.element, pub)
    set_core_properties(document.core_properties, pub.meta)
    out = io.BytesIO()
    document.save(out)
    return package.rewrite(out.getvalue(), pub, {"word/fontTable.xml": parts.font_table})
