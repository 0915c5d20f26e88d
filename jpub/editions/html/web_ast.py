"""What the web edition adds to the shared AST before pandoc writes it: permalinks and table semantics."""

from __future__ import annotations

import html
import re
from typing import Any

from jpub import numbering
from jpub.pandoc_ast import Block, plain_text, walk_blocks

_NUMERIC = re.compile(r"^[\s0-9０-９.,．，%％+\-−―〜~]*$")


def raw(text: str) -> Block:
    return {"t": "RawBlock", "c": ["html", text]}


def permalink(header: Block) -> list[Block]:
    """The heading and a ``#`` link to it after it, side by side in one wrapper.

    The link sits outside the heading element so the heading's text stays exactly the source's.
    A wrapper Div would not do: pandoc turns a Div that starts with a heading into a section and
    moves the heading's id onto it, so the wrapper is written as raw HTML around the heading.
    """
    level, attr, inlines = header["c"]
    ident = html.escape(attr[0], quote=True)
    label = html.escape(f"見出し「{plain_text(inlines)}」へのリンク", quote=True)
    link = f'<a class="permalink" href="#{ident}" aria-label="{label}">\u2060#</a>'
    return [raw(f'<div class="heading level-{level}">'), header, raw(link + "</div>")]


def with_permalinks(node: Any) -> Any:
    """Every heading, wherever it sits (block lists in divs, quotes, list items), followed by its permalink."""
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            item = with_permalinks(item)
            if isinstance(item, dict) and item.get("t") == "Header":
                out.extend(permalink(item))
            else:
                out.append(item)
        return out
    if isinstance(node, dict):
        return {key: with_permalinks(value) for key, value in node.items()}
    return node


def _cell_text(cell: list[Any]) -> str:
    return " ".join(plain_text(b["c"]) for b in cell[4] if b["t"] in ("Plain", "Para")).strip()


def _add_attr(cell: list[Any], key: str, value: str) -> None:
    attrs = cell[0][2]
    if not any(k == key for k, _ in attrs):
        attrs.append([key, value])


def _label_column(bodies: list[Any]) -> bool:
    """Whether the first column names its rows: every first cell has text and none is a number."""
    firsts = [row[1][0] for body in bodies for row in body[3] if row[1]]
    return bool(firsts) and all(_cell_text(c) and not _NUMERIC.match(_cell_text(c)) for c in firsts)


def table_semantics(table: Block, number: int, context: str) -> None:
    """``scope`` on header cells, the first column as row headers when it names the rows, a caption.

    A table without a caption in the source gets 表N and the numbered heading it sits under,
    so that a screen reader can tell the tables apart. It is not shown: the print and Word editions
    have no such caption, and a reader citing 「表1」 from the page would find none there.
    """
    _attr, caption, _specs, head, bodies, _foot = table["c"]
    head_rows = head[1]
    for row in head_rows:
        for cell in row[1]:
            _add_attr(cell, "scope", "col")
    if head_rows and _label_column(bodies):
        for body in bodies:
            body[1] = max(body[1], 1)
            for row in body[3]:
                if row[1]:
                    _add_attr(row[1][0], "scope", "row")
    if not caption[1]:
        label = f"表{number or ''}" + (f"（{context}）" if context else "")
        hidden = {"t": "Span", "c": [["", ["auto-caption"], []], [{"t": "Str", "c": label}]]}
        caption[1] = [{"t": "Plain", "c": [hidden]}]


def add_table_semantics(blocks: list[Block], numbered: bool = False) -> None:
    """Number the tables in document order; each caption names the last numbered heading before it. When the
    document numbers its tables itself (``numbered``), a caption made here says 表 without a number: 表2 could be
    another table's real number."""
    context, number = "", 0
    for block in walk_blocks(blocks):
        if block["t"] == "Header":
            text = plain_text(block["c"][2])
            if numbering.parse(text):
                context = text
        elif block["t"] == "Table":
            number += 1
            table_semantics(block, 0 if numbered else number, context)


def for_web(blocks: list[Block], numbered_tables: bool = False) -> list[Block]:
    """The body as the web edition writes it (the shared AST is left as it was)."""
    add_table_semantics(blocks, numbered_tables)
    return with_permalinks(blocks)
