"""The Word edition: pandoc writes the body against a generated reference document; the front, the
table widths and the finishing touches come from the other modules of this package."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jpub import pandoc
from jpub.editions.docx import breaks, finish, front, reference, tables
from jpub.images import Embedder, embed
from jpub.publication import Publication


def render(pub: Publication) -> bytes:
    document = pub.documents["docx"]
    cover, body = document.parts()
    # images go in as data: URIs, so pandoc's sandbox needs no file of the source tree
    body["blocks"] = embed(body["blocks"], Embedder(pub.source.path.parent, document.rendered, pub.source.display))
    tables.fit_tables(body["blocks"])
    body["blocks"] = breaks.mark(body["blocks"])
    tree = {**body, "meta": {}, "blocks": front.front(pub, cover["blocks"]) + body["blocks"]}
    with tempfile.TemporaryDirectory(prefix="jpub-docx-") as tmp:
        reference_doc = Path(tmp) / "reference.docx"
        reference_doc.write_bytes(reference.build(pub))
        raw = pandoc.write(tree, "docx", [f"--reference-doc={reference_doc}", "--metadata=lang:ja-JP", "-o", "-"])
    return finish.finish(raw, pub)
