"""Where each block of pandoc's parse was written: the rendered line of every heading, paragraph and list
item, so that the structure rules read the parse the editions are made from.

pandoc's ``sourcepos`` extension exists only for its CommonMark readers, which parse Japanese emphasis,
numbered paragraphs and grid tables differently from the Markdown reader the editions use. So the parse's
own text is read against the rendered text instead: both are reduced to their letters and digits (markup,
spaces and punctuation differ between them; letters and digits do not), and each block, in document order,
is found as a run of those that starts after the block before it. What the parse holds that the text does
not (a footnote's body, moved to its reference) is left out; what the text holds that the parse does not
(URLs, ids, markers) is passed over.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from jpub.pandoc_ast import Block as Node
from jpub.pandoc_ast import has_class, plain_text, table_cells

_ALNUM = re.compile(r"[^\W_]+")
PREFIX = 12  # letters and digits a block is first looked for by
GAP = 400  # letters and digits of the text (a URL, an id) that may lie between two of a block's
TRIES = 64  # places a block's first letter is tried at before it is given up


@dataclass(frozen=True)
class Block:
    """A block that holds text: a heading, paragraph, list item's text, code, table or figure."""

    kind: str  # pandoc's name: Header, Para, Plain, CodeBlock, RawBlock, LineBlock, Table, Figure, Term
    text: str  # the text the editions print (soft breaks as spaces; notes left out)
    first: int  # 0-based rendered line of its first letter or digit; -1 when it could not be placed
    last: int  # rendered line of its last
    column: int  # column of its first letter or digit in the first line
    level: int = 0  # a heading's level
    cover: bool = False  # inside ::: cover
    item: tuple[int, int] | None = None  # (list, item) for the first block of a list item
    ordered: bool = False  # that list is an ordered list (pandoc numbers it)


class _Surroundings(TypedDict, total=False):
    """What the blocks around a block say about it: the Block fields after its text and place."""

    level: int
    cover: bool
    item: tuple[int, int] | None
    ordered: bool


def skeleton(text: str) -> str:
    return "".join(_ALNUM.findall(text))


class _Stream:
    """The letters and digits of the rendered text, each with its offset in the text."""

    def __init__(self, text: str):
        self.chars = skeleton(text)
        self.offsets = array("l")
        for found in _ALNUM.finditer(text):
            self.offsets.extend(range(found.start(), found.end()))
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.cursor = 0

    def line_column(self, index: int) -> tuple[int, int]:
        offset = self.offsets[index]
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line, offset - self.line_starts[line]

    def _follow(self, wanted: str, start: int, gap: int) -> int:
        """Index of the last of ``wanted`` read as a subsequence from ``start``, or -1."""
        at = start - 1
        for ch in wanted:
            at = self.chars.find(ch, at + 1, at + 1 + gap + 1)
            if at < 0:
                return -1
        return at

    def place(self, text: str) -> tuple[int, int, int]:
        """(first line, last line, column) of a block's text after the cursor, moving the cursor past it."""
        wanted = skeleton(text)
        if not wanted:
            return -1, -1, 0
        start = self.chars.find(wanted[:PREFIX], self.cursor)
        if start < 0:  # something between its letters (a link's URL): read it as a subsequence
            start = self._first_of(wanted)
        if start < 0:
            return -1, -1, 0
        end = self._follow(wanted, start, GAP)
        if end < 0:
            end = start + min(len(wanted), PREFIX) - 1
        self.cursor = end + 1
        first, column = self.line_column(start)
        return first, self.line_column(end)[0], column

    def _first_of(self, wanted: str) -> int:
        at = self.cursor - 1
        for _ in range(TRIES):
            at = self.chars.find(wanted[0], at + 1)
            if at < 0:
                return -1
            if self._follow(wanted[:PREFIX], at, 60) >= 0:
                return at
        return -1

    def skip_lines_after(self, line: int, lines: list[str]) -> int:
        """Move the cursor past the non-blank lines from ``line`` on (a table); the last of them."""
        last = line
        while last + 1 < len(lines) and lines[last + 1].strip():
            last += 1
        if last + 1 < len(self.line_starts):
            self.cursor = max(self.cursor, bisect.bisect_left(self.offsets, self.line_starts[last + 1]))
        else:
            self.cursor = len(self.chars)
        return last


def placed(tree_blocks: list[Node], rendered_text: str) -> tuple[Block, ...]:
    """Every block that holds text, in document order, with the rendered lines it was written on."""
    stream = _Stream(rendered_text)
    lines = rendered_text.split("\n")
    found: list[Block] = []
    lists = iter(range(1 << 30))
    for node, info in _leaves(tree_blocks, {}, lists):
        kind = node["t"]
        if kind == "Table":
            cells = [plain_text_of(cell) for cell in table_cells(node)]
            first, _last, column = stream.place(next((c for c in cells if skeleton(c)), ""))
            last = stream.skip_lines_after(first, lines) if first >= 0 else -1
            found.append(Block(kind, "\n".join(cells), first, last, column, **info))
            continue
        text = _text(node)
        first, last, column = stream.place(text)
        found.append(Block(kind, text, first, last, column, **info))
    return tuple(found)


def _leaves(blocks: list[Node], info: _Surroundings, lists: Iterator[int]) -> Iterator[tuple[Node, _Surroundings]]:
    for block in blocks:
        kind: str = block["t"]
        content: Any = block.get("c")
        if kind in ("BulletList", "OrderedList"):
            number = next(lists)
            items = content if kind == "BulletList" else content[1]
            for position, item in enumerate(items):
                for index, (node, inner) in enumerate(_leaves(item, {**info, "item": None}, lists)):
                    if index == 0 and item and node is item[0]:
                        inner = {**inner, "item": (number, position), "ordered": kind == "OrderedList"}
                    yield node, inner
        elif kind == "BlockQuote":
            yield from _leaves(content, info, lists)
        elif kind == "Div":
            yield from _leaves(content[1], {**info, "cover": info.get("cover") or has_class(block, "cover")}, lists)
        elif kind == "DefinitionList":
            for term, definitions in content:
                yield {"t": "Term", "c": term}, info
                for definition in definitions:
                    yield from _leaves(definition, info, lists)
        elif kind == "HorizontalRule":
            continue
        elif kind == "Header":
            yield block, {**info, "level": content[0]}
        else:
            yield block, info


def _text(node: Node) -> str:
    kind: str = node["t"]
    content: Any = node.get("c")
    if kind in ("Para", "Plain", "Term"):
        return plain_text(content)
    if kind == "Header":
        return plain_text(content[2])
    if kind in ("CodeBlock", "RawBlock"):
        return str(content[1])
    if kind == "LineBlock":
        return "\n".join(plain_text(line) for line in content)
    if kind == "Figure":
        return plain_text_of(content[1][1])
    return ""


def plain_text_of(blocks: list[Node]) -> str:
    return "\n".join(_text(block) for block in blocks if block["t"] in ("Para", "Plain", "LineBlock"))
