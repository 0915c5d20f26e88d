"""Reading the Word edition back: headings by style, paragraphs and table cells in document order, the
footnotes, and the entries cached in the TOC field's result (what a reader sees before fields update)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import docx.document
import docx.table
import lxml.etree

from jpub.verify.compare import Report, compare_lists
from jpub.verify.reader import EditionReader
from jpub.verify.text import ReadHeading

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected

_HEADING_STYLE = re.compile(r"^Heading(\d)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOC_STYLE = re.compile(r"^TOC(\d)$", re.IGNORECASE)
_TOC_DEPTH = re.compile(r'\\o\s+"(\d+)-(\d+)"')


def docx_headings(path: Path) -> list[ReadHeading]:
    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style_id = paragraph.style.style_id if paragraph.style is not None else ""
        match = _HEADING_STYLE.match(style_id or "")
        if match:
            # a long heading is broken between phrases with a line break, which is not part of its text
            found.append(ReadHeading(int(match.group(1)), paragraph.text.replace("\n", "")))
    return found


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_body_text(path: Path) -> str:
    """Paragraphs and table cells in document order (the cover, body and tables as a reader meets them)."""
    parts: list[str] = []

    def walk(container: docx.document.Document | docx.table._Cell) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, docx.table.Table):
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                parts.append(item.text)

    walk(docx.Document(str(path)))
    return "\n".join(parts)


_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def docx_notes_text(path: Path) -> str:
    """The footnotes' text (footnotes.xml), in the order the body calls them; no separators."""
    document = docx.Document(str(path))
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == _FOOTNOTES and not rel.is_external), None)
    if part is None:
        return ""
    root = lxml.etree.fromstring(part.blob)
    notes = {note.get(f"{_W}id"): note for note in root.iter(f"{_W}footnote") if note.get(f"{_W}type") in (None, "normal")}
    called = [ref.get(f"{_W}id") for ref in document.element.body.iter(f"{_W}footnoteReference")]
    order = [i for i in dict.fromkeys(called) if i in notes] + [i for i in notes if i not in called]
    paragraphs = []
    for note_id in order:
        for paragraph in notes[note_id].iter(f"{_W}p"):
            paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(paragraphs)


@dataclass(frozen=True)
class DocxToc:
    instruction: str
    entries: tuple[ReadHeading, ...]  # level from the TOCn paragraph style (0 when unstyled)

    @property
    def depth(self) -> int | None:
        match = _TOC_DEPTH.search(self.instruction)
        return int(match.group(2)) if match else None


@dataclass
class _Field:
    instruction: str = ""
    result: bool = False

    @property
    def kind(self) -> str:
        return self.instruction.strip().split(" ", 1)[0].upper() if self.instruction.strip() else ""


def docx_toc(path: Path) -> DocxToc | None:
    """The first TOC field and the entries cached in its result (what Word shows before updating fields)."""
    body = docx.Document(str(path)).element.body
    stack: list[_Field] = []
    toc: _Field | None = None
    entries: list[ReadHeading] = []
    for paragraph in body.iter(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        level_match = _TOC_STYLE.match(style.get(f"{_W}val", "")) if style is not None else None
        pieces: list[str] = []
        for event, node in lxml.etree.iterwalk(paragraph, events=("start", "end")):
            tag = node.tag
            if tag == f"{_W}fldSimple":
                if event == "start":
                    stack.append(_Field(node.get(f"{_W}instr", ""), True))
                    toc = toc or (stack[-1] if stack[-1].kind == "TOC" else None)
                elif stack:
                    stack.pop()
            elif event != "start":
                continue
            elif tag == f"{_W}fldChar":
                kind = node.get(f"{_W}fldCharType")
                if kind == "begin":
                    stack.append(_Field())
                elif kind == "separate" and stack:
                    stack[-1].result = True
                    toc = toc or (stack[-1] if stack[-1].kind == "TOC" else None)
                elif kind == "end" and stack:
                    stack.pop()
            elif tag == f"{_W}instrText" and stack:
                stack[-1].instruction += node.text or ""
            elif tag in (f"{_W}t", f"{_W}tab") and toc is not None and toc in stack:
                if all(f.result and f.kind != "PAGEREF" for f in stack):
                    pieces.append("\t" if tag == f"{_W}tab" else node.text or "")
        text = "".join(pieces)
        text = text.rsplit("\t", 1)[0] if "\t" in text else text
        if toc is not None and text.strip():
            entries.append(ReadHeading(int(level_match.group(1)) if level_match else 0, text.strip()))
        if toc is not None and toc not in stack:
            break
    return DocxToc(toc.instruction.strip(), tuple(entries)) if toc is not None else None


# --- HTML: body text without the contents, and the <nav> contents ------------------------------------------


def compare_toc(report: Report, path: Path, want: Expected) -> None:
    toc = docx_toc(path)
    if toc is None:
        report.error("verify-toc", "目次（TOC フィールド）がありません")
        return
    if toc.depth is not None and toc.depth != want.toc_depth:
        report.error("verify-toc", f"目次の深さが違います: 期待 1-{want.toc_depth}、実際 {toc.instruction}")
    if not toc.entries:
        report.error("verify-toc", "目次フィールドに項目が入っていません（Word で開くまで目次が空です）")
        return
    by_level = tuple(ReadHeading(h.level, h.text) for h in want.headings if h.level <= want.toc_depth)
    compare_lists(report, "verify-toc", "目次の項目", by_level, list(toc.entries))


def reader() -> EditionReader:
    from jpub.verify.docx_figures import compare_figures

    return EditionReader(headings=docx_headings, text=docx_body_text, toc=compare_toc, notes=docx_notes_text, figures=compare_figures)
