"""Room around tables and their notes: a table stands apart from the text, its notes (表の注: ※…, 出典：…)
sit under it, not glued to it, and the text goes on after a gap.

Word has no space before or after a table, so the room goes on the paragraphs around it: the one before
ends with a gap (a caption, which belongs to the table, keeps its own spacing), and the gap after goes on
the last note, or on the paragraph after a table without notes. The notes themselves are styled 表の注
by body.py and kept with their table by sections.py.
"""

from __future__ import annotations

from docx.shared import Pt
from lxml import etree

from jpub.editions.docx.breaks import paragraph_format, style_of
from jpub.editions.docx.ooxml import w

NOTE_STYLE = "TableNote"
GAP = Pt(10)  # about half a line of body text, as in the print edition
CAPTIONS = ("TableCaption", "Caption")
_MARKERS = (w("bookmarkStart"), w("bookmarkEnd"))


def _sibling(node: etree._Element, forward: bool) -> etree._Element | None:
    found = node.getnext() if forward else node.getprevious()
    while found is not None and found.tag in _MARKERS:
        found = found.getnext() if forward else found.getprevious()
    return found


def space_tables(body: etree._Element) -> None:
    for table in body.iterchildren(w("tbl")):
        before = _sibling(table, forward=False)
        if before is not None and before.tag == w("p") and style_of(before) not in CAPTIONS:
            paragraph_format(before).space_after = GAP
        last, after = None, _sibling(table, forward=True)
        while after is not None and after.tag == w("p") and style_of(after) == NOTE_STYLE:
            last, after = after, _sibling(after, forward=True)
        if last is not None:
            paragraph_format(last).space_after = GAP
        elif after is not None and after.tag == w("p"):
            paragraph_format(after).space_before = GAP
