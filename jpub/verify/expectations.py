"""What each built edition must contain, read from its own rendering of the source: headings (as an outline
for the PDF), every paragraph, list item and table cell cut at its note calls, the notes, the contents entries
and the fonts the settings allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jpub.crossref import Target
from jpub.crossref.references import XREF_CLASS
from jpub.editions import EDITIONS, figure_list
from jpub.editions.figure_list import FigureList
from jpub.editions.fragments import toc_depth
from jpub.pandoc_ast import Block, Element, Heading, Part, plain_text, rebuild, walk_blocks
from jpub.publication import Document, Publication
from jpub.verify.text import ReadHeading, normalise


@dataclass(frozen=True)
class Expected:
    """What one edition must contain: its rendering's headings, texts and contents entries."""

    headings: tuple[ReadHeading, ...]
    texts: tuple[str, ...]  # paragraphs, list items and table cells, in document order (split at note calls)
    notes: tuple[str, ...]  # the paragraphs of every note, in the order they are called
    toc: tuple[ReadHeading, ...]  # level = nesting depth in the contents
    toc_depth: int
    document: Document
    fonts: tuple[str, ...]  # the font families the settings name for this edition
    figures: tuple[Target, ...] = ()  # the numbered figures and tables, whose captions show their numbers
    references: tuple[tuple[str, str], ...] = ()  # (text, target id) of every reference, in document order
    figure_lists: tuple[FigureList, ...] = ()  # the 図表目次's lists, when the edition sets one
    reference_pages: bool = False  # the print edition follows each reference with its target's page


_TEXT_BLOCKS = ("Para", "Plain")


def nested(headings: tuple[Heading, ...], depth: int = 99) -> list[tuple[int, Heading]]:
    """Headings down to ``depth`` with their nesting depth (a deeper heading nests under the last shallower)."""
    entries: list[tuple[int, Heading]] = []
    stack: list[int] = []  # the levels of the open ancestors
    for heading in headings:
        if heading.level > depth:
            continue
        while stack and stack[-1] >= heading.level:
            stack.pop()
        stack.append(heading.level)
        entries.append((len(stack), heading))
    return entries


_CALL = "\x00"  # stands for a note call while a text is flattened, then splits it


def _without_notes(node: Part, pages: bool = False) -> Part:
    """A copy of an AST part with every Note replaced by the call mark; with ``pages``, a call mark also after every
    reference, where the print edition adds its target's page (図1-2（p.5）)."""

    def replace(element: dict[str, Any]) -> Element | None:
        if element.get("t") == "Note":
            return {"t": "Str", "c": _CALL}
        if pages and element.get("t") == "Link" and XREF_CLASS in element["c"][0][1]:
            return {"t": "Span", "c": [["", [], []], [*element["c"][1], {"t": "Str", "c": _CALL}]]}
        return None

    return rebuild(node, replace)


def references(node: object) -> list[tuple[str, str]]:
    """(text, target id) of every reference link, in document order."""
    if isinstance(node, list):
        return [found for item in node for found in references(item)]
    if not isinstance(node, dict):
        return []
    if node.get("t") == "Link" and XREF_CLASS in node["c"][0][1]:
        return [(plain_text(node["c"][1]), node["c"][2][0][1:])]
    return [found for value in node.values() for found in references(value)]


def _notes(node: object) -> list[list[Block]]:
    """The blocks of every Note in an AST part, in document order."""
    if isinstance(node, list):
        return [note for item in node for note in _notes(item)]
    if not isinstance(node, dict):
        return []
    if node.get("t") == "Note":
        return [node["c"]]
    return [note for value in node.values() for note in _notes(value)]


def block_texts(blocks: list[Block], pages: bool = False) -> list[str]:
    """The text of every paragraph, list item, table cell and line, each cut at the notes it calls (and with
    ``pages`` after every reference)."""
    texts: list[str] = []
    for block in walk_blocks(blocks):
        if block["t"] in _TEXT_BLOCKS:
            lines = [block["c"]]
        elif block["t"] == "LineBlock":
            lines = block["c"]
        else:
            continue
        for line in lines:
            texts.extend(plain_text(_without_notes(line, pages)).split(_CALL))
    return texts


def expected(pub: Publication, fmt: str) -> Expected:
    document = pub.documents[fmt]
    tree = EDITIONS[fmt].adds_text(pub, document.ast())
    pages = fmt == "pdf" and pub.settings.pdf_reference_page
    texts = block_texts(tree["blocks"], pages)
    notes = [text for note in _notes(tree["blocks"]) for text in block_texts(note)]
    depth = toc_depth(pub.settings.toc_depth, document.headings, fmt)
    toc = nested(document.headings, depth)
    # an edition read back as an outline (the PDF's bookmarks): a level is the nesting depth, so a skipped
    # level is not a difference
    if EDITIONS[fmt].nested_outline:
        headings = tuple(ReadHeading(nesting, h.text) for nesting, h in nested(document.headings, 99))
    else:
        headings = tuple(ReadHeading(h.level, h.text) for h in document.headings)
    return Expected(
        headings=headings,
        texts=tuple(t for t in texts if normalise(t)),
        notes=tuple(t for t in notes if normalise(t)),
        toc=tuple(ReadHeading(nesting, h.text) for nesting, h in toc),
        toc_depth=depth,
        document=document,
        fonts=EDITIONS[fmt].fonts(pub.settings),
        figures=tuple(target for target in document.figures if target.number),
        references=tuple(references(tree["blocks"])),
        figure_lists=figure_list.wanted(pub, fmt),
        reference_pages=pages,
    )
