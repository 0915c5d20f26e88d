"""The web edition: one self-contained HTML file that loads nothing from anywhere."""

from __future__ import annotations

import dataclasses
import json
import re

from jpub import page_templates
from jpub.editions import figure_list
from jpub.editions.fragments import chapter_level, html_fragments, toc_depth, toc_tree
from jpub.editions.html.web_ast import for_web
from jpub.images import Embedder, embed
from jpub.publication import Document, Publication
from jpub.svg import Faces

# The faces of SVG figures: the page's own stacks (templates/html/web.css), no font is downloaded.
SANS_STACK = '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "BIZ UDPGothic", "Noto Sans JP", "Noto Sans CJK JP", Meiryo, sans-serif'
SERIF_STACK = '"Hiragino Mincho ProN", "BIZ UDPMincho", "Noto Serif JP", "Noto Serif CJK JP", "Yu Mincho", serif'
MONO_STACK = '"BIZ UDGothic", "Noto Sans Mono CJK JP", monospace'
FIGURE_FACES = Faces(SANS_STACK, SERIF_STACK, MONO_STACK)

# Scripts and every outside load are refused by the page itself; styles are inline, images data: URIs.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def web_document(pub: Publication) -> Document:
    """The html rendering with its images embedded, permalinks after headings and table semantics."""
    document = pub.documents["html"]
    tree = document.ast()
    embedder = Embedder(pub.source.path.parent, document.rendered, pub.source.display, FIGURE_FACES)
    numbered_tables = any(target.kind == "table" and target.number for target in document.figures)
    tree["blocks"] = for_web(embed(tree["blocks"], embedder), numbered_tables)
    return dataclasses.replace(document, ast_json=json.dumps(tree, ensure_ascii=False))


# pandoc writes each block on its own line; the permalink must follow its heading without a break
_BEFORE_PERMALINK = re.compile(r'(</h[1-6]>)\s+(<a class="permalink")')


def glue_permalinks(body: str) -> str:
    return _BEFORE_PERMALINK.sub(r"\1\2", body)


def render(pub: Publication) -> bytes:
    document = pub.documents["html"]
    fragments = html_fragments(web_document(pub))
    chapters = chapter_level(document.headings)
    folder = pub.source.path.parent
    page = page_templates.render(
        "html/page.html.j2",
        folder,
        meta=pub.meta,
        csp=CONTENT_SECURITY_POLICY,
        cover=fragments.cover,
        body=glue_permalinks(fragments.body),
        toc=toc_tree(document.headings, toc_depth(pub.settings.toc_depth, document.headings, "html")),
        overview=toc_tree(document.headings, chapters),
        figure_lists=figure_list.wanted(pub, "html"),
        css=page_templates.read("html/web.css", folder),
    )
    return page.encode("utf-8")
