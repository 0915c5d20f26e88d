"""The Word edition: pandoc writes the body against a generated reference document; the front, the
table widths and the finishing touches come from the docx_* modules."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import pandoc
from ..images import Embedder, embed
from ..publication import Publication
from . import docx_front, docx_package, docx_parts, docx_reference, docx_tables


def render(pub: Publication) -> bytes:
    document = pub.documents["docx"]
    cover, body = document.parts()
    # images go in as data: URIs, so pandoc's sandbox needs no file of the source tree
    body["blocks"] = embed(body["blocks"], Embedder(pub.source.path.parent, document.rendered, pub.source.display))
    docx_tables.fit_tables(body["blocks"])
    tree = {**body, "meta": {}, "blocks": docx_front.front(pub, cover["blocks"]) + body["blocks"]}
    with tempfile.TemporaryDirectory(prefix="jpub-docx-") as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(docx_reference.build(pub))
        raw = pandoc.write(tree, "docx", [f"--reference-doc={reference}", "--metadata=lang:ja-JP", "-o", "-"])
    return docx_package.rewrite(raw, pub, docx_parts.PARTS)
