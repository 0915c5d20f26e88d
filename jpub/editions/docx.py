"""The Word edition: pandoc with a generated reference document, then python-docx for what pandoc lacks."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx

from .. import pandoc
from ..publication import Publication
from . import docx_reference


def render(pub: Publication) -> bytes:
    document = pub.documents["docx"]
    cover, body = document.parts()
    with tempfile.TemporaryDirectory(prefix="jpub-docx-") as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(docx_reference.build(pub.settings))
        tree = {**body, "blocks": cover["blocks"] + body["blocks"]}
        meta = [f"--metadata={key}:{value}" for key, value in (("title", pub.meta.title), ("subtitle", pub.meta.subtitle),
                ("author", pub.meta.author), ("date", pub.meta.era_date)) if value]
        raw = pandoc.write(tree, "docx", [f"--reference-doc={reference}", *meta, "-o", "-"])
    word = docx.Document(io.BytesIO(raw))
    docx_reference.japanese_styles(word, pub.settings)
    docx_reference.a4(word)
    props = word.core_properties
    props.title, props.author, props.subject = pub.meta.title, pub.meta.author, pub.meta.subject
    props.language = "ja-JP"
    stamp = pub.meta.timestamp().replace(tzinfo=None)
    props.created = props.modified = stamp
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
