"""Tables of the print edition fitted to the measure before layout (jpub/editions/columns.py says how).

Each table gets its column widths (a ``<colgroup>``, laid out fixed: WeasyPrint sizing Japanese cells from
their content is slow and breaks words), the largest type size at which its words fit, and its words as
unbreakable spans, so a header never breaks inside 「都道府県」 and a figure never breaks at all. A table in a
``::: landscape`` block is fitted to the landscape page's measure.
"""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
from lxml.html import HtmlElement

from jpub.editions import columns
from jpub.editions.columns import LONGEST_WORD, Layout, Need, Sizes, words
from jpub.editions.pdf.layout import GRID, LANDSCAPE_GRID
from jpub.settings import Settings

WORD_CLASS = "word"
CROWDED_CLASS = "crowded"  # words wider than their columns even at the floor size: they may break
SIZES = Sizes()


def _lines(cell: HtmlElement) -> list[str]:
    """A cell's text as its lines (a ``<br>`` ends one); footnotes left out."""
    parts: list[str] = []

    def visit(element: HtmlElement) -> None:
        if not isinstance(element.tag, str) or "footnote" in (element.get("class") or "").split():
            parts.append(element.tail or "")
            return
        if element.tag == "br":
            parts.append("\n")
        else:
            parts.append(element.text or "")
            for child in element:
                visit(child)
        if element is not cell:
            parts.append(element.tail or "")

    visit(cell)
    return "".join(parts).split("\n")


def _rows(table: HtmlElement) -> list[list[tuple[int, HtmlElement]]]:
    """Every row as (first column, cell) for its cells; a cell spanning rows also fills the rows below."""
    out: list[list[tuple[int, HtmlElement]]] = []
    carried: dict[int, int] = {}  # column → rows still covered by a cell from above
    for row in table.iter("tr"):
        placed: list[tuple[int, HtmlElement]] = []
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while carried.get(column, 0) > 0:
                carried[column] -= 1
                column += 1
            span = int(cell.get("colspan", "1") or 1)
            if span == 1:
                placed.append((column, cell))
            rows = int(cell.get("rowspan", "1") or 1)
            for offset in range(span):
                if rows > 1:
                    carried[column + offset] = rows - 1
            column += span
        out.append(placed)
    return out


def _count_columns(table: HtmlElement, rows: list[list[tuple[int, HtmlElement]]]) -> int:
    declared = len(table.findall("colgroup/col"))
    widest = max((sum(int(c.get("colspan", "1") or 1) for c in row if c.tag in ("td", "th")) for row in table.iter("tr")), default=0)
    return max(declared, widest, max((column + 1 for row in rows for column, _ in row), default=0))


def plan(table: HtmlElement, header: Callable[[str], float], body: Callable[[str], float], available_pt: float) -> Layout:
    """The size and widths for one table: header cells measured in the header face, the others in the body's."""
    rows = _rows(table)
    needs = [[(column, columns.need(_lines(cell), header if cell.tag == "th" else body)) for column, cell in row] for row in rows]
    count = _count_columns(table, rows)
    return columns.layout(columns.column_needs(needs, count) if count else [Need(0, 0)], available_pt, SIZES)


def _wrap_words(cell: HtmlElement) -> None:
    """Each word of the cell's own text runs in an unbreakable span (the breaks fall between them)."""
    for element in list(cell.iter()):
        if not isinstance(element.tag, str) or element.tag in ("code", "pre") or "footnote" in (element.get("class") or "").split():
            continue
        for slot in ("text", "tail") if element is not cell else ("text",):
            text = getattr(element, slot) or ""
            if not text.strip():
                continue
            _replace_text(element, slot, text)


def _replace_text(element: HtmlElement, slot: str, text: str) -> None:
    pieces: list[tuple[str, str | None]] = []  # (text, the class of its span; None: no span)
    at = 0
    for word in words(text):
        start = text.index(word, at)
        pieces.append((text[at:start], None))
        pieces.append((word, WORD_CLASS if len(word) <= LONGEST_WORD else None))
        at = start + len(word)
    pieces.append((text[at:], None))
    spans: list[HtmlElement] = []
    leading = ""
    for piece, cls in pieces:
        if cls is None:
            if spans:
                spans[-1].tail = (spans[-1].tail or "") + piece
            else:
                leading += piece
            continue
        span = lxml.html.Element("span", {"class": cls})
        span.text = piece
        spans.append(span)
    if slot == "text":
        element.text = leading
        for offset, span in enumerate(spans):
            element.insert(offset, span)
    else:
        parent = element.getparent()
        assert parent is not None  # only an element inside the cell has its tail replaced
        element.tail = leading
        index = parent.index(element)
        for offset, span in enumerate(spans):
            parent.insert(index + 1 + offset, span)


def _set_widths(table: HtmlElement, layout: Layout) -> None:
    for old in table.findall("colgroup"):
        table.remove(old)
    group = lxml.html.Element("colgroup")
    for fraction in layout.fractions:
        group.append(lxml.html.Element("col", {"style": f"width: {fraction * 100:.3f}%"}))
    caption = table.find("caption")
    table.insert(table.index(caption) + 1 if caption is not None else 0, group)
    style = (table.get("style") or "").rstrip("; ")
    table.set("style", f"{style + '; ' if style else ''}font-size: {layout.size_pt:g}pt")
    if not layout.fits:
        table.set("class", f"{table.get('class', '')} {CROWDED_CLASS}".strip())


def fit_tables(root: HtmlElement, settings: Settings) -> None:
    """Every table of the body fitted: widths, size and unbreakable words (in place). Only a cell that has to
    wrap gets word spans: in one that fits on a line they would cost layout time and change nothing."""
    from jpub.editions.pdf.measure import measurer

    header, body = measurer(settings.sans_font, bold=True), measurer(settings.serif_font)
    for table in root.iter("table"):
        landscape = any("landscape" in (a.get("class") or "").split() for a in table.iterancestors())
        grid = LANDSCAPE_GRID if landscape else GRID
        layout = plan(table, header, body, grid.measure_pt)
        _set_widths(table, layout)
        if not layout.fits:
            continue
        extra = SIZES.extra(layout.size_pt)
        for row in _rows(table):
            for column, cell in row:
                measure = header if cell.tag == "th" else body
                if column < len(layout.widths_pt) and columns.need(_lines(cell), measure).most * layout.size_pt > layout.widths_pt[column] - extra:
                    _wrap_words(cell)
