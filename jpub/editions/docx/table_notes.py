"""Room around tables, and their ※ and 出典 notes set as notes: small, under the table but not glued to it.

Word has no space before or after a table, so the room goes on the paragraphs around it: the one before
ends with a gap (a caption, which belongs to the table, keeps its own spacing), the notes that follow get
the 表の注 style (a little space above, a gap below the last), and the table's last row is kept on the
page of its first note. A table without notes gets the gap on the paragraph after it.
"""

from __future__ import annotations

import re

from docx.shared import Pt
from lxml import etree

from jpub.editions.docx.breaks import paragraph_format, style_of
from jpub.editions.docx.ooxml import w

NOTE_STYLE = "TableNote"
GAP = Pt(10)  # about half a line of body text, as in the print edition
CAPTIONS = ("TableCaption", "Caption")
NOTE = re.compile(r"^\s*(※|\*|[（(]注[0-9０-９]*[）)]|注[0-9０-９]*[：:]|出典[：:]|資料[：:])")


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def space_tables(body: etree._Element) -> None:
    for table in body.iterchildren(w("tbl")):
        before = table.getprevious()
        while before is not None and before.tag not in (w("p"), w("tbl")):
            before = before.getprevious()
        if before is not None and before.tag == w("p") and style_of(before) not in CAPTIONS:
            paragraph_format(before).space_after = GAP
        notes = []
        after = table.getnext()
        while after is not None and after.tag == w("p") and NOTE.match(_text(after)):
            notes.append(after)
            after = after.getnext()
        for note in notes:
            note.style = NOTE_STYLE  # type: ignore[attr-defined]  # python-docx's CT_P sets w:pStyle
        if notes:
            rows = table.findall(w("tr"))
            for paragraph in rows[-1].iter(w("p")) if rows else ():
                paragraph_format(paragraph).keep_with_next = True
        elif after is not None and after.tag == w("p"):
            paragraph_format(after).space_before = GAP
