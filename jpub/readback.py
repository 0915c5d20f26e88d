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
from pypdf import PdfReader


@dataclass(frozen=True)
class ReadHeading:
    level: int
    text: str


def normalise(text: str) -> str:
    """For comparing text across editions: NFKC, no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_outline(path: Path) -> list[ReadHeading]:
    reader = PdfReader(str(path))
    found: list[ReadHeading] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append(ReadHeading(level, item.title))

    walk(reader.outline, 1)
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


_HEADING_STYLE = re.compile(r"^Heading(\d)$")


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

# Tags of the structure elements that hold only running headers, footers and page numbers (WeasyPrint tags
# margin boxes as a Span straight under a NonStruct of the Document) and of list labels (the bullets).
_FURNITURE_TAGS = frozenset({"/Span", "/NonStruct", "/Document"})
_LABEL_TAGS = frozenset({"/Lbl", "/Artifact"})


def _number_tree(node, found: dict[int, object]) -> None:
    node = node.get_object()
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            found[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or ():
        _number_tree(kid, found)


def _ancestor_tags(element) -> list[str]:
    tags = []
    while element is not None and "/S" in element and len(tags) < 64:
        tags.append(str(element["/S"]))
        parent = element.get("/P")
        element = parent.get_object() if parent is not None else None
    return tags


def _is_furniture(element) -> bool:
    tags = _ancestor_tags(element)
    return bool(tags) and (set(tags) <= _FURNITURE_TAGS or bool(_LABEL_TAGS & set(tags)))


def _furniture(reference, memo: dict) -> bool:
    key = (reference.idnum, reference.generation) if hasattr(reference, "idnum") else id(reference)
    if key not in memo:
        memo[key] = _is_furniture(reference.get_object())
    return memo[key]


def _page_body_text(page, parents, memo: dict) -> str:
    """The page's text in content order, leaving out marked content that is page furniture or a list label."""
    if parents is None:
        return page.extract_text() or ""
    parents = parents.get_object()
    current: list[int | None] = [None]
    pieces: list[str] = []

    def before(operator, operands, _cm, _tm) -> None:
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if hasattr(properties, "get") else None
            current[0] = int(mcid) if mcid is not None else None
        elif operator == b"EMC":
            current[0] = None

    def text(value, _cm, _tm, _font, _size) -> None:
        mcid = current[0]
        if mcid is not None and 0 <= mcid < len(parents) and parents[mcid] is not None:
            if _furniture(parents[mcid], memo):
                return
        pieces.append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(pieces)


def pdf_page_texts(path: Path) -> list[str]:
    """Each page's body text: running headers, footers, page numbers and list bullets left out (read from the
    tagged structure; an untagged PDF gives each page's whole text)."""
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"].get_object()
    tree = root.get("/StructTreeRoot")
    table: dict[int, object] = {}
    if tree is not None and "/ParentTree" in tree.get_object():
        _number_tree(tree.get_object()["/ParentTree"], table)
    texts: list[str] = []
    memo: dict = {}
    for page in reader.pages:
        key = page.get("/StructParents")
        texts.append(_page_body_text(page, table.get(int(key)) if key is not None and table else None, memo))
    return texts


def pdf_body_text(path: Path) -> str:
    return "\n".join(pdf_page_texts(path))


TOC_TITLE = "目次"


def pdf_toc_text(path: Path, pages: list[str] | None = None) -> str | None:
    """The text of the 目次 pages: from the page that starts with 目次 to the page before the first bookmark.
    ``pages`` are the page texts when already read (pdf_page_texts)."""
    texts = pages if pages is not None else pdf_page_texts(path)
    start = next((i for i, t in enumerate(texts) if normalise(t).startswith(TOC_TITLE)), None)
    if start is None:
        return None
    reader = PdfReader(str(path))
    first = next((item for item in reader.outline if not isinstance(item, list)), None)
    end = reader.get_destination_page_number(first) if first is not None else start + 1
    return "\n".join(texts[start : max(end, start + 1)])


# --- DOCX: body text in document order, and the TOC field's cached entries --------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOC_STYLE = re.compile(r"^TOC(\d)$", re.IGNORECASE)
_TOC_DEPTH = re.compile(r'\\o\s+"(\d+)-(\d+)"')


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
