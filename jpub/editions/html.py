"""The web edition: one self-contained HTML file."""

from __future__ import annotations

from ..publication import Publication
from .. import shells
from .fragments import chapter_level, html_fragments, toc_tree


def render(pub: Publication) -> bytes:
    document = pub.documents["html"]
    fragments = html_fragments(document)
    depth = pub.settings.toc_depth or chapter_level(document.headings) + 1
    page = shells.render(
        "html/page.html.j2",
        meta=pub.meta,
        cover=fragments.cover,
        body=fragments.body,
        toc=toc_tree(document.headings, depth),
        overview=toc_tree(document.headings, chapter_level(document.headings)),
        css=shells.read("html/web.css"),
    )
    return page.encode("utf-8")
