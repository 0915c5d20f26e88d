"""Table column widths for the Word edition, from the text in each column.

pandoc takes pipe-table widths from the dashes of the separator row (|----|---| is 57/43); Word then
keeps those fixed ratios. Here they are recomputed from the cells' text, a full-width character
counting as two half-width ones: short columns get what they need, long ones share the rest.
"""

from __future__ import annotations

import unicodedata

from lxml import etree

from jpub.editions.docx.styles import data, el, w
from jpub.pandoc_ast import Block, plain_text, table_rows, walk_blocks

MM_PER_PT = 25.4 / 72


def display_width(text: str) -> int:
    """Half-width units: ideographs, kana and full-width forms (and East Asian ambiguous marks) count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)


def cell_width(blocks: list[Block]) -> int:
    """The widest line of a cell, in half-width units."""
    lines = [0]
    for block in walk_blocks(blocks):
        if block["t"] in ("Para", "Plain"):
            lines.extend(display_width(line) for line in plain_text(block["c"]).split("\n"))
    return max(lines)


def fit(desired: list[float], available: float) -> list[float]:
    """Widths that fit ``available``: columns needing less than an equal share keep their need, the rest share."""
    if sum(desired) <= available:
        return list(desired)
    fixed: dict[int, float] = {}
    while True:
        open_ = [i for i in range(len(desired)) if i not in fixed]
        share = (available - sum(fixed.values())) / len(open_)
        newly = {i: desired[i] for i in open_ if desired[i] <= share}
        if not newly or len(newly) == len(open_):
            break
        fixed.update(newly)
    rest = available - sum(fixed.values())
    total_open = sum(desired[i] for i in open_)
    return [fixed[i] if i in fixed else rest * desired[i] / total_open for i in range(len(desired))]


def column_fractions(table: Block) -> list[float]:
    """Each column's share of the text width; a table that needs less is widened in proportion."""
    spec = data()["table"]
    page = data()["page"]
    text_mm = page["width"] - page["margins"]["left"] - page["margins"]["right"]
    unit_mm = spec["size"] * MM_PER_PT / 2
    padding_mm = spec["padding"]["left"] + spec["padding"]["right"] + 1
    columns = len(table["c"][2])
    need = [0] * columns
    for row in table_rows(table):
        col = 0
        for cell in row[1]:
            span = cell[3]
            if span == 1 and col < columns:
                need[col] = max(need[col], cell_width(cell[4]))
            col += span
    widths = fit([n * unit_mm + padding_mm for n in need], text_mm)
    return [round(width / sum(widths), 4) for width in widths]  # full measure, as in the print edition


def fit_tables(blocks: list[Block]) -> None:
    """Replace every table's column widths (in place) by ones computed from its text."""
    for block in walk_blocks(blocks):
        if block["t"] == "Table":
            specs = block["c"][2]
            for spec, fraction in zip(specs, column_fractions(block), strict=True):
                spec[1] = {"t": "ColWidth", "c": fraction}


def fit_grid(table: etree._Element, text_twips: int) -> None:
    """Scale pandoc's grid (drawn for a 5.5-inch measure) to the real text width and give every cell its width.

    LibreOffice lays fixed tables out by the grid, Word by the cell widths; both then agree with w:tblW.
    """
    width = table.find(f"{w('tblPr')}/{w('tblW')}")
    share = int(width.get(w("w"))) / 5000 if width is not None and width.get(w("type")) == "pct" else 1.0
    columns = table.findall(f"{w('tblGrid')}/{w('gridCol')}")
    total = sum(int(col.get(w("w"))) for col in columns) or 1
    widths = [round(int(col.get(w("w"))) * text_twips * share / total) for col in columns]
    for col, value in zip(columns, widths, strict=True):
        col.set(w("w"), str(value))
    for row in list(table.iter(w("tr"))):
        index = 0
        for cell in row.findall(w("tc")):
            tcpr = cell.find(w("tcPr"))
            if tcpr is None:
                tcpr = el("tcPr")
                cell.insert(0, tcpr)
            span = tcpr.find(w("gridSpan"))
            count = int(span.get(w("val"))) if span is not None else 1
            for old in tcpr.findall(w("tcW")):
                tcpr.remove(old)
            tcpr.insert(0, el("tcW", {"w": sum(widths[index : index + count]), "type": "dxa"}))
            index += count
