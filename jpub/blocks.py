"""Blocks the source marks with fenced divs or implies by position, made explicit once in the parse, so
every edition (and verify) sees the same structure:

- a box (``::: column``, ``::: note``) gets its title line as its first block: 「コラム1　避難所を支える人びと」;
- the notes under a table (※…, （注）…, 出典：…) are grouped with it, so no edition sets them apart;
- numbers in a column of figures are right-aligned (a column the source left at its default alignment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jpub import numbering
from jpub.pandoc_ast import Attr, Block, Cell, Inline, Row, plain_text, walk_blocks

BOX_KINDS = ("column", "note")
BOX_TITLE = "box-title"
BOX_LABEL = "box-label"
TABLE_BLOCK = "table-block"
TABLE_NOTES = "table-notes"
NUMERIC_CELL = "num"

# ※…, （注）…, 注：…, 注1 …, 出典：…, （資料）… — how 白書 and statistics set the lines under a table
_TABLE_NOTE = re.compile(r"^\s*(?:※|[（(](?:注|出典|資料)|注[0-9０-９]*[\s　：:）)]|(?:出典|資料|出所)[：:])")
# a figure: digits with separators, a sign, a decimal point, a unit of percent; or a dash for "none"
_NUMERIC = re.compile(r"^[\s+\-−▲△]?[0-9０-９][0-9０-９,，.．]*\s*[%％]?$|^[\s]*[-－―—…]$")


@dataclass(frozen=True)
class BoxNumbering:
    """How ::: column boxes are numbered: none (コラム), document (コラム1, 2, …), chapter (コラム2-1 in 第2章)."""

    scheme: str = "none"
    label: str = "コラム"

    def labels(self, blocks: list[Block]) -> dict[int, str]:
        """The label of every column box (by ``id`` of its Div), in document order."""
        out: dict[int, str] = {}
        count, chapter = 0, 0
        for block in walk_blocks(blocks):
            if block["t"] == "Header":
                unit = numbering.parse(plain_text(block["c"][2]))
                if unit is not None and unit.unit == "章":
                    chapter = unit.value
                    if self.scheme == "chapter":
                        count = 0
            elif block["t"] == "Div" and "column" in block["c"][0][1]:
                count += 1
                number = {"none": "", "document": f"{count}", "chapter": f"{chapter}-{count}"}[self.scheme]
                out[id(block)] = f"{self.label}{number}"
        return out


def _attribute(attr: Attr, name: str) -> str:
    return next((value for key, value in attr[2] if key == name), "")


def title_boxes(blocks: list[Block], scheme: str = "none") -> None:
    """Every ::: column and ::: note box starts with its title line (in place); its title attribute is taken off.

    A column's title line is its label and number, a full-width space and its ``title``; a note's is its
    ``title`` alone, and a note without one has no title line.
    """
    labels = BoxNumbering(scheme).labels(blocks)
    for block in walk_blocks(blocks):
        if block["t"] != "Div" or not set(block["c"][0][1]) & set(BOX_KINDS):
            continue
        attr, content = block["c"]
        title = _attribute(attr, "title").strip()
        attr[2] = [[key, value] for key, value in attr[2] if key != "title"]
        label = labels.get(id(block), "")
        inlines: list[Inline] = []
        if label:
            inlines.append({"t": "Span", "c": [["", [BOX_LABEL], []], [{"t": "Str", "c": label}]]})
        if title:
            if label:
                inlines.append({"t": "Str", "c": "\u3000"})
            inlines.append({"t": "Str", "c": title})
        if inlines:
            content.insert(0, {"t": "Div", "c": [["", [BOX_TITLE], []], [{"t": "Para", "c": inlines}]]})


def is_table_note(block: Block) -> bool:
    return block["t"] in ("Para", "Plain") and bool(_TABLE_NOTE.match(plain_text(block["c"])))


def group_table_notes(blocks: list[Block]) -> list[Block]:
    """The block list with every table and the notes right under it in one ``table-block`` Div (also inside
    divs, quotes and list items)."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = _grouped_inside(blocks[index])
        index += 1
        if block["t"] == "Table":
            notes = []
            while index < len(blocks) and is_table_note(blocks[index]):
                notes.append(blocks[index])
                index += 1
            if notes:
                block = {"t": "Div", "c": [["", [TABLE_BLOCK], []], [block, {"t": "Div", "c": [["", [TABLE_NOTES], []], notes]}]]}
        out.append(block)
    return out


def _grouped_inside(block: Block) -> Block:
    kind = block["t"]
    if kind == "Div":
        return {"t": "Div", "c": [block["c"][0], group_table_notes(block["c"][1])]}
    if kind == "BlockQuote":
        return {"t": kind, "c": group_table_notes(block["c"])}
    if kind == "BulletList":
        return {"t": kind, "c": [group_table_notes(item) for item in block["c"]]}
    if kind == "OrderedList":
        return {"t": kind, "c": [block["c"][0], [group_table_notes(item) for item in block["c"][1]]]}
    return block


def cell_text(cell: Cell) -> str:
    return " ".join(plain_text(b["c"]) for b in walk_blocks(cell[4]) if b["t"] in ("Plain", "Para")).strip()


def is_numeric(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def numeric_columns(table: Block) -> set[int]:
    """Columns whose body cells are all figures (an empty cell aside), at least one of them."""
    _attr, _caption, specs, _head, bodies, _foot = table["c"]
    seen: dict[int, list[bool]] = {}
    for body in bodies:
        for row in body[3]:
            column = 0
            for cell in row[1]:
                text = cell_text(cell)
                if cell[3] == 1 and text:
                    seen.setdefault(column, []).append(is_numeric(text))
                column += cell[3]
    return {column for column, flags in seen.items() if column < len(specs) and all(flags)}


def align_numbers(blocks: list[Block]) -> None:
    """Columns of figures right-aligned where the source left the default alignment (their header centred),
    and their cells marked ``num``: the print and web stylesheets keep a figure on one line. In place."""
    for block in walk_blocks(blocks):
        if block["t"] != "Table":
            continue
        columns = numeric_columns(block)
        specs, head, bodies = block["c"][2], block["c"][3], block["c"][4]
        for column in columns:
            if specs[column][0]["t"] == "AlignDefault":
                specs[column][0] = {"t": "AlignRight"}
        for row in head[1]:
            for column, cell in _placed(row):
                if column in columns and cell[1]["t"] == "AlignDefault":
                    cell[1] = {"t": "AlignCenter"}
        for body in bodies:
            for row in body[3]:
                for column, cell in _placed(row):
                    if column in columns and NUMERIC_CELL not in cell[0][1]:
                        cell[0][1].append(NUMERIC_CELL)


def _placed(row: Row) -> list[tuple[int, Cell]]:
    """(first column, cell) of every cell of a row that spans one column."""
    out: list[tuple[int, Cell]] = []
    column = 0
    for cell in row[1]:
        if cell[3] == 1:
            out.append((column, cell))
        column += cell[3]
    return out


def structure(blocks: list[Block], column_numbering: str = "none") -> list[Block]:
    """All of the above, for the parse: the blocks with table notes grouped, boxes titled, figures aligned."""
    grouped = group_table_notes(blocks)
    title_boxes(grouped, column_numbering)
    align_numbers(grouped)
    return grouped
