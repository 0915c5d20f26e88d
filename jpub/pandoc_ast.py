"""Reading and adjusting pandoc's JSON AST: plain text, headings, stable ids."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, TypeGuard, TypeVar, cast

from jpub import numbering


class Element(TypedDict):
    """One element of pandoc's JSON AST, block or inline: its constructor's name (``Para``, ``Str``, …) and,
    for all but those without fields (``Space``, ``SoftBreak``, ``LineBreak``, ``HorizontalRule``), its
    fields. pandoc writes several fields as one JSON array of mixed types (a Header's is ``[level, attr,
    inlines]``), which no Python type spells: ``c`` is untyped JSON, read by position where its shape is known."""

    t: str
    c: NotRequired[Any]


Block = Element  # Para, Header, Div, Table, …
Inline = Element  # Str, Space, Emph, Link, Note, …
Attr = list[Any]  # an element's attributes: [id, [class, …], [[key, value], …]], a mixed JSON array
Row = list[Any]  # a table row: [attr, [cell, …]]
Cell = list[Any]  # a table cell: [attr, alignment, row span, column span, [block, …]]

# The whole document as pandoc reads and writes it.
Tree = TypedDict("Tree", {"pandoc-api-version": list[int], "meta": dict[str, Any], "blocks": list[Block]})

# What rebuild hands its function: any JSON object met on the way, an element or a part of one (the meta map).
Replace = Callable[[dict[str, Any]], Element | None]
Part = TypeVar("Part")


def read_tree(data: str | bytes) -> Tree:
    """pandoc's JSON (its ``-t json`` output, or a copy of it) as a Tree, after checking it has that shape."""
    tree = json.loads(data)
    if not (isinstance(tree, dict) and isinstance(tree.get("meta"), dict) and isinstance(tree.get("blocks"), list)):
        raise ValueError("pandoc's JSON has no meta map and block list")  # pandoc always writes both: a bug
    return cast(Tree, tree)


def plain_text(inlines: list[Inline]) -> str:
    """The text a reader sees, with soft breaks as spaces (as every writer emits them)."""
    parts: list[str] = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        elif kind == "LineBreak":
            parts.append("\n")
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            parts.append(plain_text(node["c"]))
        elif kind == "Quoted":
            open_, close = ("“", "”") if node["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
            parts.append(open_ + plain_text(node["c"][1]) + close)
        elif kind == "Code":
            parts.append(node["c"][1])
        elif kind in ("Link", "Image"):
            parts.append(plain_text(node["c"][1]))
        elif kind in ("Span", "Cite"):
            parts.append(plain_text(node["c"][1]))
        elif kind == "Math":
            parts.append(node["c"][1])
    return "".join(parts)


def is_element(node: object, kind: str) -> TypeGuard[Element]:
    """Whether ``node``, any part of an AST, is an element made by the constructor ``kind`` (``Header``, …)."""
    return isinstance(node, dict) and node.get("t") == kind


def rebuild(node: Part, replace: Replace) -> Part:
    """A copy of an AST (or any part of one) in which every element for which ``replace`` returns something
    is that something; the others are copied with their parts rebuilt the same way."""
    # The copy has the shape of what it copies (an element stands where an element stood), which the
    # isinstance checks below cannot tell mypy: hence the casts.
    if isinstance(node, list):
        return cast(Part, [rebuild(item, replace) for item in node])
    if not isinstance(node, dict):
        return node
    replaced = replace(node)
    if replaced is not None:
        return cast(Part, replaced)
    return cast(Part, {key: rebuild(value, replace) for key, value in node.items()})


def walk_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, depth first, in document order."""
    for block in blocks:
        yield block
        kind = block["t"]
        if kind in ("BlockQuote",):
            yield from walk_blocks(block["c"])
        elif kind == "Div":
            yield from walk_blocks(block["c"][1])
        elif kind in ("BulletList",):
            for item in block["c"]:
                yield from walk_blocks(item)
        elif kind == "OrderedList":
            for item in block["c"][1]:
                yield from walk_blocks(item)
        elif kind == "DefinitionList":
            for _term, definitions in block["c"]:
                for definition in definitions:
                    yield from walk_blocks(definition)
        elif kind == "Figure":
            yield from walk_blocks(block["c"][2])
        elif kind == "Table":
            for cell_blocks in table_cells(block):
                yield from walk_blocks(cell_blocks)


def table_rows(table: Block) -> list[Row]:
    """Every row of a table: header rows, then each body's head and body rows, then footer rows."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    return rows + list(foot[1])


def table_cells(table: Block) -> Iterator[list[Block]]:
    """The blocks of every cell, row by row."""
    for row in table_rows(table):
        for cell in row[1]:
            yield cell[4]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    unit: numbering.UnitNumber | None


def headings(blocks: list[Block]) -> tuple[Heading, ...]:
    found: list[Heading] = []
    for block in walk_blocks(blocks):
        if block["t"] == "Header":
            level, attr, inlines = block["c"]
            text = plain_text(inlines)
            found.append(Heading(level, text, attr[0], numbering.parse(text)))
    return tuple(found)


def assign_ids(blocks: list[Block]) -> None:
    """Give every heading an ASCII id built from its place in the numbering (part2-chapter1-section3).

    The same source always gives the same ids; an id the author wrote ({#id}) is kept.
    """
    stack: list[tuple[int, str]] = []  # (level, id) of the open ancestors
    topics: dict[str, int] = {}
    used: set[str] = set()
    for block in walk_blocks(blocks):
        if block["t"] != "Header":
            continue
        level, attr, inlines = block["c"]
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        unit = numbering.parse(plain_text(inlines))
        if unit:
            own = f"{numbering.ID_PREFIX[unit.unit]}{unit.value}"
        else:
            topics[parent] = topics.get(parent, 0) + 1
            own = f"topic{topics[parent]}"
        wanted = attr[0] or (f"{parent}-{own}" if parent else own)
        final, n = wanted, 1
        while final in used:
            n += 1
            final = f"{wanted}-{n}"
        used.add(final)
        attr[0] = final
        stack.append((level, final))


def has_class(block: Block, name: str) -> bool:
    return block["t"] == "Div" and name in block["c"][0][1]


def split_cover(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """(the blocks of ::: cover divs, everything else)."""
    cover = [inner for b in blocks if has_class(b, "cover") for inner in b["c"][1]]
    return cover, [b for b in blocks if not has_class(b, "cover")]


PAGE_BREAK = "pagebreak"  # ::: pagebreak, the explicit page break every edition reads
TEX_PAGE_BREAKS = ("\\newpage", "\\pagebreak")


def read_page_breaks(blocks: list[Block]) -> list[Block]:
    """pandoc's ``\\newpage`` (a raw TeX block, which every writer but LaTeX's drops; ``\\pagebreak`` too) as
    the ``::: pagebreak`` div, so that the editions read one form of the explicit page break."""

    def replace(node: dict[str, Any]) -> Block | None:
        if node.get("t") == "RawBlock" and node["c"][0] in ("tex", "latex") and node["c"][1].strip() in TEX_PAGE_BREAKS:
            return {"t": "Div", "c": [["", [PAGE_BREAK], []], []]}
        return None

    return list(rebuild(blocks, replace))
