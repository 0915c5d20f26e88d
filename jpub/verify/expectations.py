"""What each built edition must contain, read from its own rendering of the source: headings (as an outline
for the PDF), every paragraph, list item and table cell cut at its note calls, the notes, the contents entries
and the fonts the settings allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jpub.editions.fragments import toc_depth
from jpub.pandoc_ast import Block, Heading, plain_text, rebuild, walk_blocks
from jpub.publication import Document, Publication
from jpub.settings import Settings
from jpub.verify.readers import ReadHeading, normalise


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


_TEXT_BLOCKS = ("Para", "Plain")
# Editions whose headings are read as an outline: a level is the bookmark's depth (a heading nests under the
# last shallower one), so a skipped level is not a difference.
NESTED_OUTLINE = frozenset({"pdf"})


def _toc_entries(headings: tuple[Heading, ...], depth: int) -> list[tuple[int, Heading]]:
    """Headings down to ``depth`` with their nesting depth (a deeper heading nests under the last shallower)."""
    entries, stack = [], []
    for heading in headings:
        if heading.level > depth:
            continue
        while stack and stack[-1] >= heading.level:
            stack.pop()
        stack.append(heading.level)
        entries.append((len(stack), heading))
    return entries


_CALL = "\x00"  # stands for a note call while a text is flattened, then splits it


def _without_notes(node: Any) -> Any:
    """A copy of an AST part with every Note replaced by the call mark."""
    return rebuild(node, lambda element: {"t": "Str", "c": _CALL} if element.get("t") == "Note" else None)


def _notes(node: Any) -> list[list[Block]]:
    """The blocks of every Note in an AST part, in document order."""
    if isinstance(node, list):
        return [note for item in node for note in _notes(item)]
    if not isinstance(node, dict):
        return []
    if node.get("t") == "Note":
        return [node["c"]]
    return [note for value in node.values() for note in _notes(value)]


def block_texts(blocks: list[Block]) -> list[str]:
    """The text of every paragraph, list item, table cell and line, each cut at the notes it calls."""
    texts: list[str] = []
    for block in walk_blocks(blocks):
        if block["t"] in _TEXT_BLOCKS:
            lines = [block["c"]]
        elif block["t"] == "LineBlock":
            lines = block["c"]
        else:
            continue
        for line in lines:
            texts.extend(plain_text(_without_notes(line)).split(_CALL))
    return texts


def expected(pub: Publication, fmt: str) -> Expected:
    document = pub.documents[fmt]
    tree = document.ast()
    texts = block_texts(tree["blocks"])
    notes = [text for note in _notes(tree["blocks"]) for text in block_texts(note)]
    depth = toc_depth(pub.settings.toc_depth, document.headings, fmt)
    toc = _toc_entries(document.headings, depth)
    if fmt in NESTED_OUTLINE:
        headings = tuple(ReadHeading(nesting, h.text) for nesting, h in _toc_entries(document.headings, 99))
    else:
        headings = tuple(ReadHeading(h.level, h.text) for h in document.headings)
    return Expected(
        headings=headings,
        texts=tuple(t for t in texts if normalise(t)),
        notes=tuple(t for t in notes if normalise(t)),
        toc=tuple(ReadHeading(nesting, h.text) for nesting, h in toc),
        toc_depth=depth,
        document=document,
        fonts=_fonts(pub.settings, fmt),
    )


def _fonts(settings: Settings, fmt: str) -> tuple[str, ...]:
    """The families an edition may use: the PDF's 明朝, ゴシック and monospace; Word's 明朝 and ゴシック."""
    if fmt == "pdf":
        return (settings.serif_font, settings.sans_font, settings.mono_font)
    return (settings.docx_serif_font, settings.docx_sans_font)
