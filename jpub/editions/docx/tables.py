"""Table column widths for the Word edition, from the text in each column (jpub/editions/columns.py).

pandoc takes pipe-table widths from the dashes of the separator row (|----|---| is 57/43), or gives every
column the same width; Word then keeps those. Here each table's grid and cells get widths computed from the
text of its cells — every column at least its widest word, the rest of the measure where wrapping costs most
— for the measure of the page the table is on (a ::: landscape section is wider). A table whose words do not
fit at the table style's size takes the compact table style (smaller type). Word has no way to keep a word
whole, so it may still break inside one where a column is narrow; the widths make that rare.
"""

from __future__ import annotations

from lxml import etree

from jpub.editions import columns
from jpub.editions.columns import Layout, Need, Sizes, estimated_width
from jpub.editions.docx.ooxml import required_attribute, required_child
from jpub.editions.docx.styles import TWIPS_PER_MM, TWIPS_PER_PT, data, el, w

COMPACT_STYLE = "TableCompact"


def _sizes(size: str, padding: str) -> Sizes:
    spec = data()["table"]
    side = (spec[padding]["left"] + spec[padding]["right"]) * TWIPS_PER_MM / TWIPS_PER_PT
    return Sizes(body_pt=spec[size], floor_pt=spec[size], step_pt=1.0, padding_em=0.0, padding_pt=side)


def choices() -> tuple[Sizes, Sizes]:
    """The table style's size and cell padding, then the compact style's (smaller type, narrower padding)."""
    return _sizes("size", "padding"), _sizes("compact_size", "compact_padding")


def choose(found: list[Need], available_pt: float) -> tuple[Layout, bool]:
    """(the layout, whether it is the compact style's): the table style's when its words fit, else the compact's."""
    normal, compact = choices()
    layout = columns.layout(found, available_pt, normal)
    if layout.fits:
        return layout, False
    return columns.layout(found, available_pt, compact), True


def _lines(cell: etree._Element) -> list[str]:
    """A cell's text, one entry per line (paragraphs and manual breaks)."""
    lines: list[str] = []
    for paragraph in cell.iter(w("p")):
        parts = [""]
        for node in paragraph.iter(w("t"), w("br")):
            if node.tag == w("br"):
                parts.append("")
            else:
                parts[-1] += node.text or ""
        lines.extend(parts)
    return lines or [""]


def _placed(row: etree._Element) -> tuple[list[tuple[int, etree._Element]], int]:
    """(first grid column, cell) of the row's cells that span one column, and the columns the row covers."""
    placed: list[tuple[int, etree._Element]] = []
    column = 0
    for cell in row.findall(w("tc")):
        span_el = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
        span = int(required_attribute(span_el, "val")) if span_el is not None else 1
        if span == 1:
            placed.append((column, cell))
        column += span
    return placed, column


def needs(table: etree._Element) -> list[Need]:
    rows = [_placed(row) for row in table.findall(w("tr"))]
    count = max([len(table.findall(f"{w('tblGrid')}/{w('gridCol')}"))] + [covered for _, covered in rows])
    cells = [[(column, columns.need(_lines(cell), estimated_width)) for column, cell in placed] for placed, _ in rows]
    return columns.column_needs(cells, count)


def fit_table(table: etree._Element, text_twips: int) -> None:
    """The table's grid and every cell get widths for ``text_twips``; a crowded table the compact style."""
    found = needs(table)
    if not found:
        return
    layout, compact = choose(found, text_twips / TWIPS_PER_PT)
    widths = [round(width * TWIPS_PER_PT) for width in layout.widths_pt]
    widths[-1] += text_twips - sum(widths)  # rounding: the columns together are exactly the measure
    grid = required_child(table, "tblGrid")
    for old in list(grid):
        grid.remove(old)
    grid.extend(el("gridCol", {"w": width}) for width in widths)
    properties = required_child(table, "tblPr")
    for tag in ("tblW", "tblLayout"):
        for old in properties.findall(w(tag)):
            properties.remove(old)
    # schema order in tblPr: tblStyle … tblW, jc, …, tblLayout, tblCellMar, tblLook
    style = properties.find(w("tblStyle"))
    anchor = style if style is not None else None
    width = el("tblW", {"w": text_twips, "type": "dxa"})
    if anchor is not None:
        anchor.addnext(width)
    else:
        properties.insert(0, width)
    look = properties.find(w("tblLook"))
    fixed = el("tblLayout", {"type": "fixed"})
    if look is not None:
        look.addprevious(fixed)
    else:
        properties.append(fixed)
    if style is not None and compact:
        style.set(w("val"), COMPACT_STYLE)
    _cell_widths(table, widths)


def _cell_widths(table: etree._Element, widths: list[int]) -> None:
    """LibreOffice lays fixed tables out by the grid, Word by the cell widths: both get them."""
    for row in table.findall(w("tr")):
        index = 0
        for cell in row.findall(w("tc")):
            tcpr = cell.find(w("tcPr"))
            if tcpr is None:
                tcpr = el("tcPr")
                cell.insert(0, tcpr)
            span = tcpr.find(w("gridSpan"))
            count = int(required_attribute(span, "val")) if span is not None else 1
            for old in tcpr.findall(w("tcW")):
                tcpr.remove(old)
            tcpr.insert(0, el("tcW", {"w": sum(widths[index : index + count]), "type": "dxa"}))
            index += count
