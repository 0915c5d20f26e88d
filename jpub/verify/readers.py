"""Reading built editions back: headings and text of the PDF, DOCX and HTML (for verify and tests)."""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import docx
import lxml.etree
import lxml.html

_HEADING_STYLE = re.compile(r"^Heading(\d)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOC_STYLE = re.compile(r"^TOC(\d)$", re.IGNORECASE)
_TOC_DEPTH = re.compile(r'\\o\s+"(\d+)-(\d+)"')


@dataclass(frozen=True)
class ReadHeading:
    level: int
    text: str


def normalise(text: str) -> str:
    """For comparing text across editions: NFKC, no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def docx_headings(path: Path) -> list[ReadHeading]:
    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style_id = paragraph.style.style_id if paragraph.style is not None else ""
        match = _HEADING_STYLE.match(style_id or "")
        if match:
            found.append(ReadHeading(int(match.group(1)), paragraph.text))
    return found


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def html_tree(path: Path):
    return lxml.html.fromstring(path.read_bytes())


# pandoc's note calls (<a class="footnote-ref"><sup>1</sup></a>) and the endnotes they lead to
_NOTE_CALLS = "//a[contains(concat(' ', normalize-space(@class), ' '), ' footnote-ref ') or @role='doc-noteref']"
_NOTE_SECTIONS = "//*[@role='doc-endnotes' or @role='doc-footnote' or self::section[@id='footnotes']]"
_NOTE_BACKLINKS = ".//a[contains(concat(' ', normalize-space(@class), ' '), ' footnote-back ') or @role='doc-backlink']"


def html_text_without_calls(element) -> str:
    """An element's text without the note calls in it: a heading that calls a note reads as its text."""
    element = copy.deepcopy(element)
    for call in element.xpath("." + _NOTE_CALLS):
        call.drop_tree()  # keeps the text after it
    return element.text_content()


def html_headings(path: Path, scope: str = "//main") -> list[ReadHeading]:
    root = html_tree(path)
    found = root.xpath(f"{scope}//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    return [ReadHeading(int(h.tag[1]), html_text_without_calls(h).strip()) for h in found]


def html_notes_text(path: Path) -> str:
    """The notes pandoc writes as endnotes, without their back-links (↩)."""
    root = html_tree(path)
    parts = []
    for section in root.xpath(_NOTE_SECTIONS):
        for link in section.xpath(_NOTE_BACKLINKS):
            link.drop_tree()
        parts.append(section.text_content())
    return "\n".join(parts)


def html_text(path: Path) -> str:
    return html_tree(path).text_content()


# --- PDF: body text without page furniture, and the 目次 pages -------------------------------------------


def docx_body_text(path: Path) -> str:
    """Paragraphs and table cells in document order (the cover, body and tables as a reader meets them)."""
    parts: list[str] = []

    def walk(container) -> None:
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
    from lxml import etree

    body = docx.Document(str(path)).element.body
    stack: list[_Field] = []
    toc: _Field | None = None
    entries: list[ReadHeading] = []
    for paragraph in body.iter(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        level_match = _TOC_STYLE.match(style.get(f"{_W}val", "")) if style is not None else None
        pieces: list[str] = []
        for event, node in etree.iterwalk(paragraph, events=("start", "end")):
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


@dataclass(frozen=True)
class TocLink:
    depth: int  # nesting depth of the entry's list, 1 for the outermost
    text: str
    href: str


def html_toc_nav(root):
    """The contents <nav>: the one with class toc, else the first <nav>."""
    found = root.xpath("//nav[contains(concat(' ', normalize-space(@class), ' '), ' toc ')]") or root.xpath("//nav")
    return found[0] if found else None


def html_tocs(path: Path) -> list[list[TocLink]] | None:
    """Each contents list in the contents <nav> (a page may carry one for narrow and one for wide screens)."""
    nav = html_toc_nav(html_tree(path))
    if nav is None:
        return None
    lists = [node for node in nav.iter("ul", "ol") if not any(a.tag in ("ul", "ol") for a in _ancestors_below(node, nav))]
    found = []
    for outer in lists:
        links = []
        for anchor in outer.iter("a"):
            depth = sum(1 for a in _ancestors_below(anchor, nav) if a.tag in ("ul", "ol"))
            links.append(TocLink(depth, anchor.text_content().strip(), anchor.get("href", "")))
        found.append(links)
    return found


def _ancestors_below(node, top) -> list:
    found = []
    for ancestor in node.iterancestors():
        if ancestor is top:
            break
        found.append(ancestor)
    return found


def html_body_text(path: Path) -> str:
    """The text of <body> without the contents, scripts and styles."""
    root = html_tree(path)
    body = root.find("body") if root.tag != "body" else root
    body = body if body is not None else root
    for node in body.xpath(".//nav | .//script | .//style | .//template" + " | ." + _NOTE_SECTIONS + " | ." + _NOTE_CALLS):
        node.drop_tree()
    return body.text_content()


# the PDF readers live in verify/pdf.py
from jpub.verify.pdf import TOC_TITLE, pdf_body_text, pdf_outline, pdf_page_texts, pdf_text, pdf_toc_text  # noqa: E402,F401
