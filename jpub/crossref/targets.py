"""Figures and tables in document order, each with the 部/章/節 it stands in and its caption.

A figure is an image alone in its paragraph with a caption (pandoc's Figure), or such an image without a
caption that carries a ``fig:`` id; a table is any table with a caption. Only the body is read: the cover's
images are not figures of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from jpub import numbering
from jpub.pandoc_ast import Block, Inline, has_class, plain_text

Kind = Literal["figure", "table"]
KINDS: tuple[Kind, ...] = ("figure", "table")
ID_PREFIXES = {"figure": ("fig:", "fig-"), "table": ("tbl:", "tbl-")}
SCOPED = numbering.UNITS[:3]  # 部, 章, 節: the units a number may name

# A number written by hand at the start of a caption: 図1-2, 図表1-1-1, 表３; the separator after it is kept.
WRITTEN = re.compile(r"^(図表|図|表)[ 　]?([0-9０-９]+(?:[-－‐‑–―.．][0-9０-９]+){0,2})(?![0-9０-９]|[-－‐‑–―.．][0-9０-９])")
DASHES = "-－‐‑–―.．"


@dataclass(frozen=True)
class Place:
    """Where a block stands: the number of each enclosing 部/章/節 and which heading opened it (0, 1, 2…)."""

    values: tuple[tuple[str, int], ...] = ()
    openings: tuple[tuple[str, int], ...] = ()

    def value(self, unit: str) -> int | None:
        return dict(self.values).get(unit)

    def opening(self, unit: str) -> tuple[int | None, ...]:
        """Which headings of ``unit`` and the units above it are open: equal for two blocks in the same unit."""
        opened = dict(self.openings)
        return tuple(opened.get(u) for u in SCOPED[: SCOPED.index(unit) + 1])


@dataclass
class Found:
    """A figure or table as found, before numbering: its block (changed in place later) and caption."""

    kind: Kind
    block: Block
    place: Place
    caption: list[Inline] = field(default_factory=list)  # the caption's inlines (a list inside the block)

    @property
    def id(self) -> str:
        return str(self.block["c"][0][0])

    def set_id(self, ident: str) -> None:
        self.block["c"][0][0] = ident


def caption_inlines(block: Block) -> list[Inline]:
    """The inline list of a Figure's or Table's caption (made when it has none), to be changed in place."""
    blocks = block["c"][1][1]
    if not blocks or blocks[0]["t"] not in ("Plain", "Para"):
        blocks.insert(0, {"t": "Plain", "c": []})
    inlines: list[Inline] = blocks[0]["c"]
    return inlines


def _lone_figure_image(block: Block) -> Block | None:
    """A paragraph that is only an image with a fig: id, which pandoc leaves uncaptioned: a Figure without caption."""
    if block["t"] != "Para" or len(block["c"]) != 1 or block["c"][0]["t"] != "Image":
        return None
    image = block["c"][0]
    attr = image["c"][0]
    if not str(attr[0]).lower().startswith(ID_PREFIXES["figure"]):
        return None
    return {"t": "Figure", "c": [[attr[0], [], []], [None, []], [{"t": "Plain", "c": [{**image, "c": [["", *attr[1:]], *image["c"][1:]]}]}]]}


def _children(block: Block) -> list[list[Block]]:
    kind, content = block["t"], block["c"] if "c" in block else []
    if kind == "BlockQuote":
        return [content]
    if kind == "Div":
        return [content[1]]
    if kind == "BulletList":
        return list(content)
    if kind == "OrderedList":
        return list(content[1])
    if kind == "DefinitionList":
        return [d for _term, definitions in content for d in definitions]
    if kind == "Figure":
        return [content[2]]
    return []


def find(blocks: list[Block]) -> list[Found]:
    """Every figure and table of the body in document order (a lone fig: image becomes a Figure in place)."""
    found: list[Found] = []
    values: dict[str, int] = {}
    openings: dict[str, int] = {}
    opened = 0

    def visit(siblings: list[Block]) -> None:
        nonlocal opened
        for index, block in enumerate(siblings):
            if has_class(block, "cover"):
                continue
            lone = _lone_figure_image(block)
            if lone is not None:
                siblings[index] = block = lone
            if block["t"] == "Header":
                unit = numbering.parse(plain_text(block["c"][2]))
                if unit and unit.unit in SCOPED:
                    for deeper in SCOPED[SCOPED.index(unit.unit) :]:
                        values.pop(deeper, None)
                        openings.pop(deeper, None)
                    values[unit.unit], openings[unit.unit], opened = unit.value, opened, opened + 1
            elif block["t"] in ("Figure", "Table"):
                kind: Kind = "figure" if block["t"] == "Figure" else "table"
                has_caption = bool(plain_text(caption_inlines_view(block)).strip())
                if has_caption or block["t"] == "Figure":
                    place = Place(tuple(values.items()), tuple(openings.items()))
                    found.append(Found(kind, block, place, caption_inlines(block)))
            for child in _children(block):
                visit(child)

    visit(blocks)
    return found


def caption_inlines_view(block: Block) -> list[Inline]:
    """A caption's inlines without changing the block (a table without caption stays without one)."""
    blocks = block["c"][1][1]
    return list(blocks[0]["c"]) if blocks and blocks[0]["t"] in ("Plain", "Para") else []
