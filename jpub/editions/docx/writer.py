"""The Word edition: pandoc writes the body against a generated reference document; the front, the styles
of boxes, notes and colours, the table widths, the sections and the pictures come from the other modules of
this package."""

from __future__ import annotations

import tempfile
from pathlib import Path

from jpub import pandoc
from jpub.editions.docx import breaks, fields, finish, front, reference, styles
from jpub.editions.docx.body import Styled, colour_style, styled_blocks
from jpub.images import Embedder, embed
from jpub.pandoc_ast import Tree
from jpub.publication import Publication
from jpub.svg import Faces


def render(pub: Publication) -> bytes:
    with styles.definitions_for(pub.source.path.parent):
        return _render(pub)


def _render(pub: Publication) -> bytes:
    document = pub.documents["docx"]
    cover, body = document.parts()
    settings = pub.settings
    # images go in as data: URIs, so pandoc's sandbox needs no file of the source tree; an SVG's text names the
    # Word faces, then its generic family for readers without them
    faces = Faces.named(settings.docx_sans_font, settings.docx_serif_font, settings.docx_sans_font, fallback=True)
    body["blocks"] = embed(body["blocks"], Embedder(pub.source.path.parent, document.rendered, pub.source.display, faces))
    found = Styled()
    body["blocks"] = styled_blocks(body["blocks"], found)
    body["blocks"] = fields.with_fields(body["blocks"], document.crossrefs.by_id())
    body["blocks"] = breaks.mark(body["blocks"])
    tree: Tree = {**body, "meta": {}, "blocks": front.front(pub, cover["blocks"]) + body["blocks"]}
    with tempfile.TemporaryDirectory(prefix="jpub-docx-") as tmp:
        reference_doc = Path(tmp) / "reference.docx"
        reference_doc.write_bytes(reference.build(pub, [colour_style(hex_colour) for hex_colour in found.colours]))
        raw = pandoc.write(tree, "docx", [f"--reference-doc={reference_doc}", "--metadata=lang:ja-JP", "-o", "-"])
    return finish.finish(raw, pub)
