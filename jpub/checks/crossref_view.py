"""What the rules on figures, tables, ids and references read: pandoc's parse of a Doc's rendering, numbered
with the document's settings exactly as the build numbers it (jpub.crossref), and where its pieces are written.

The Doc's parse has been numbered already and its ids assigned; the ids as the author wrote them need the parse
before that, which is pandoc's own run again (cached by text in jpub.pandoc, so the build's), numbered here with
the Doc's schemes exactly as the build numbers it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from jpub import crossref, pandoc, pandoc_ast, settings
from jpub.checks.model import Place
from jpub.checks.view import Doc
from jpub.crossref import Crossrefs, ids
from jpub.pandoc_ast import Block


@dataclass(frozen=True)
class Parsed:
    crossrefs: Crossrefs
    written_ids: tuple[str, ...]  # the ids the author wrote, in order, as often as written
    all_ids: tuple[str, ...]  # every id of the built document (headings' and figures' given ones too)
    links: tuple[str, ...]  # the target of every internal link (#id), in order
    images: tuple[tuple[str, str], ...]  # (url, alt text) of every image, in order
    body: str  # the text of every paragraph and cell outside the captions (where numbers are mentioned)
    figure_scheme: str
    table_scheme: str


def of(doc: Doc) -> Parsed:
    return _parsed("\n".join(line.text for line in doc.lines), doc.schemes)


@functools.lru_cache(maxsize=4)
def _parsed(text: str, schemes: tuple[str, str]) -> Parsed:
    chosen = dataclasses.replace(settings.Settings(), figure_number=schemes[0], table_number=schemes[1])
    tree = pandoc.parse_markdown(text)
    written = tuple(ids.defined(tree["blocks"]))
    pandoc_ast.assign_ids(tree["blocks"])
    blocks, found = crossref.apply(tree["blocks"], chosen)
    return Parsed(
        crossrefs=found,
        written_ids=written,
        all_ids=tuple(ids.defined(blocks)),
        links=tuple(link for link in ids.internal_links(blocks)),
        images=tuple(_images(blocks)),
        body="\n".join(pandoc_ast.plain_text(b["c"]) for b in pandoc_ast.walk_blocks(blocks) if _is_text(b)),
        figure_scheme=chosen.figure_number,
        table_scheme=chosen.table_number,
    )


def _is_text(block: Block) -> bool:
    """A paragraph of text: not a figure's image, whose alt text repeats the caption."""
    return block["t"] in ("Para", "Plain") and not all(node["t"] in ("Image", "Space", "SoftBreak") for node in block["c"])


def _images(node: object) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for item in node:
            yield from _images(item)
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            yield node["c"][2][0], pandoc_ast.plain_text(node["c"][1])
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _images(value)


# --- where things are written ----------------------------------------------------------------------------------


def written(doc: Doc, pattern: re.Pattern[str]) -> Iterator[tuple[int, Place]]:
    """(rendered line, where it was written) of every match in the prose (code is not searched), in document order."""
    for line in doc.lines:
        if line.code:
            continue
        for match in pattern.finditer(line.prose):
            yield line.index, doc.at(line.index, match.start(), match.group(0))


def id_pattern(ident: str) -> re.Pattern[str]:
    """Where an id is defined: {#id …}, {… #id}, id="id"."""
    name = re.escape(ident)
    return re.compile(rf"\{{[^{{}}]*#{name}(?=[\s}}])|\bid\s*=\s*[\"']?{name}(?=[\s\"'>/]|$)")
