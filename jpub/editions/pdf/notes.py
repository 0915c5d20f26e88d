"""Footnotes for the print edition: pandoc's Note inlines become WeasyPrint footnotes.

pandoc's HTML writer collects notes into an endnotes section at the end of the document, with a back-link
(↩, a glyph Noto CJK lacks). For print, each Note becomes ``<span class="footnote">…</span>`` where it was
called; the stylesheet floats it to the foot of the page (``float: footnote``) and WeasyPrint numbers the
call and the note. A note's blocks are set as one run of text: paragraphs and list items joined by line
breaks, code as code.

A heading that calls a note carries its text without the call in ``data-text``: the stylesheet makes that
its bookmark and running head, which would otherwise end with the call's number.
"""

from __future__ import annotations

from typing import Any

from jpub.pandoc_ast import Block, Element, Inline, Part, plain_text, rebuild, walk_blocks

NOTE_CLASS = "footnote"
TEXT_ATTRIBUTE = "data-text"


def note_inlines(blocks: list[Block]) -> list[Inline]:
    """A note's blocks as inlines: each paragraph, list item, line and code block, separated by line breaks."""
    runs: list[list[Inline]] = []
    for block in walk_blocks(blocks):
        kind = block["t"]
        if kind in ("Para", "Plain"):
            runs.append(block["c"])
        elif kind == "LineBlock":
            runs.extend(block["c"])
        elif kind == "CodeBlock":
            runs.append([{"t": "Code", "c": block["c"]}])
    out: list[Inline] = []
    for index, run in enumerate(runs):
        if index:
            out.append({"t": "LineBreak"})
        out.extend(run)
    return out


def as_footnotes(node: Part) -> Part:
    """A copy of an AST (or any part of one) with every Note replaced by a ``footnote`` Span."""
    return rebuild(node, _as_footnote)


def _as_footnote(node: dict[str, Any]) -> Element | None:
    if node.get("t") == "Note":
        return {"t": "Span", "c": [["", [NOTE_CLASS], []], as_footnotes(note_inlines(node["c"]))]}
    if node.get("t") == "Header" and _has_note(node["c"][2]):
        level, (ident, classes, attributes), inlines = node["c"]
        attributes = [*attributes, [TEXT_ATTRIBUTE, plain_text(inlines)]]
        return {"t": "Header", "c": [level, [ident, classes, attributes], as_footnotes(inlines)]}
    return None


def _has_note(node: object) -> bool:
    if isinstance(node, list):
        return any(_has_note(item) for item in node)
    return isinstance(node, dict) and (node.get("t") == "Note" or any(_has_note(value) for value in node.values()))
