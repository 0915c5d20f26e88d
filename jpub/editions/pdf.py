"""The print edition: HTML for print, typeset by WeasyPrint."""

from __future__ import annotations

from weasyprint import CSS, HTML

from .. import shells
from ..fetching import SourceTreeFetcher
from ..publication import Publication
from .fragments import chapter_level, html_fragments, toc_tree


def print_html(pub: Publication) -> str:
    document = pub.documents["pdf"]
    fragments = html_fragments(document)
    depth = pub.settings.toc_depth or chapter_level(document.headings)
    return shells.render(
        "pdf/page.html.j2",
        meta=pub.meta,
        created=pub.meta.timestamp().isoformat(),
        cover=fragments.cover,
        body=fragments.body,
        toc=toc_tree(document.headings, depth),
    )


def stylesheet(pub: Publication) -> str:
    return shells.render("pdf/print.css.j2", settings=pub.settings)


def render(pub: Publication) -> bytes:
    fetcher = SourceTreeFetcher([pub.source.path.parent, shells.TEMPLATES])
    html = HTML(string=print_html(pub), base_url=str(pub.source.path), url_fetcher=fetcher)
    variant = None if pub.settings.pdf_variant == "none" else pub.settings.pdf_variant
    document = html.render(stylesheets=[CSS(string=stylesheet(pub))])
    return document.write_pdf(pdf_variant=variant, pdf_tags=True, custom_metadata=True)
