"""What the web edition adds to the shared AST before pandoc writes it: permalinks, table semantics and
scroll regions, box landmarks, colours that keep their contrast in both schemes."""

from __future__ import annotations

import html
import re
from typing import Any, cast

from jpub import numbering
from jpub.blocks import BOX_KINDS, BOX_TITLE
from jpub.colours import Colour, span_colour
from jpub.pandoc_ast import Block, Cell, Element, Part, is_element, plain_text, rebuild, walk_blocks

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


def with_permalinks(node: Part) -> Part:
    """Every heading, wherever it sits (block lists in divs, quotes, list items), followed by its permalink."""
    # The copy has the shape of what it copies (a heading's wrapper stands in the block list the heading stood
    # in), which the isinstance checks cannot tell mypy: hence the casts, as in pandoc_ast.rebuild.
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            item = with_permalinks(item)
            if is_element(item, "Header"):
                out.extend(permalink(item))
            else:
                out.append(item)
        return cast(Part, out)
    if isinstance(node, dict):
        return cast(Part, {key: with_permalinks(value) for key, value in node.items()})
    return node


def _cell_text(cell: Cell) -> str:
    return " ".join(plain_text(b["c"]) for b in cell[4] if b["t"] in ("Plain", "Para")).strip()


def _add_attr(cell: Cell, key: str, value: str) -> None:
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


def _caption_text(table: Block) -> str:
    return " ".join(plain_text(b["c"]) for b in walk_blocks(table["c"][1][1]) if b["t"] in ("Plain", "Para")).strip()


def with_scroll_regions(node: Part) -> Part:
    """Every table in a region of its own that scrolls sideways when the table is wider than the page, never
    the page itself. The region can take the keyboard's focus (to scroll it) and is named by the caption."""
    # casts as in with_permalinks: a table's region stands in the block list where the table stood
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            item = with_scroll_regions(item)
            if is_element(item, "Table"):
                label = html.escape(_caption_text(item), quote=True)
                out += [raw(f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'), item, raw("</div>")]
            else:
                out.append(item)
        return cast(Part, out)
    if isinstance(node, dict):
        return cast(Part, {key: with_scroll_regions(value) for key, value in node.items()})
    return node


def label_boxes(blocks: list[Block]) -> None:
    """A ::: column or ::: note box is a note (ARIA) named by its title line, which gets an id (in place)."""
    count = 0
    for block in walk_blocks(blocks):
        if block["t"] != "Div" or not set(block["c"][0][1]) & set(BOX_KINDS):
            continue
        count += 1
        attr, content = block["c"]
        attr[2] = [*attr[2], ["role", "note"]]
        title = next((b for b in content if b["t"] == "Div" and BOX_TITLE in b["c"][0][1]), None)
        if title is not None:
            title["c"][0][0] = title["c"][0][0] or f"box{count}-title"
            attr[2].append(["aria-labelledby", title["c"][0][0]])


# The grounds text stands on in each scheme of templates/html/web.css (--bg, --panel, --accent-soft, the boxes):
# an author's colour is made readable on the hardest of them.
LIGHT_GROUNDS = ("#ffffff", "#f4f6f9", "#e8f0f9", "#fbf6ee")
DARK_GROUNDS = ("#15171b", "#1e2228", "#1d2a3a", "#2a241b")
CONTRAST = 4.6  # WCAG AA asks 4.5 for text; a little over, as checkers round


def readable(colour: Colour, grounds: tuple[str, ...]) -> Colour:
    for ground in grounds:
        parsed = Colour.parse(ground)
        if parsed is None:  # the grounds are the stylesheet's colours, written above
            raise ValueError(f"not a colour: {ground}")
        colour = colour.readable_on(parsed, CONTRAST)
    return colour


def _coloured(node: dict[str, Any]) -> Element | None:
    if node.get("t") != "Span":
        return None
    attr, inlines = node["c"]
    colour = span_colour(attr)
    if colour is None:
        return None
    light, dark = readable(colour, LIGHT_GROUNDS), readable(colour, DARK_GROUNDS)
    style = f"--colour: #{light.hex.lower()}; --colour-dark: #{dark.hex.lower()}"
    attributes = [[key, value] for key, value in attr[2] if key != "style"] + [["style", style]]
    return {"t": "Span", "c": [[attr[0], [*attr[1], "colour"], attributes], with_colours(inlines)]}


def with_colours(node: Part) -> Part:
    """Colour spans as a colour for each scheme, each readable on that scheme's grounds (a copy)."""
    return rebuild(node, _coloured)


def for_web(blocks: list[Block], numbered_tables: bool = False) -> list[Block]:
    """The body as the web edition writes it (the shared AST is left as it was)."""
    add_table_semantics(blocks, numbered_tables)
    label_boxes(blocks)
    return with_permalinks(with_scroll_regions(with_colours(blocks)))
