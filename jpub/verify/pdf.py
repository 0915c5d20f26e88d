"""Reading the print edition back. Its text comes from one extractor, poppler's ``pdftotext -raw -bbox``
(words with their positions in the order the pages draw them, gathered into lines, read once per file version); its bookmarks, fonts and destinations
from pypdf, which reads the PDF's structure.

The body text leaves out the page furniture — running heads and folios — by position: they stand in the
margins above and below the text block of the page grid (jpub/editions/pdf/layout.py)."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from jpub.diagnostics import Diagnostic
from jpub.editions.pdf.layout import GRID, LANDSCAPE_GRID, MM_PER_PT
from jpub.verify.compare import Report, short
from jpub.verify.reader import EditionReader, MissingTool
from jpub.verify.text import ReadHeading, normalise

if TYPE_CHECKING:
    from jpub.verify.expectations import Expected

TOC_TITLE = "目次"
FIGURE_LIST_TITLE = "図表目次"  # jpub.editions.figure_list.TITLE: the 目次 ends where it starts
_XHTML = {"x": "http://www.w3.org/1999/xhtml"}


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    number: int  # 1-based, on its page, in pdftotext's reading order
    words: tuple[str, ...]
    top: float = 0.0  # pt from the top of the page
    bottom: float = 0.0
    furniture: bool = False  # a running head or folio, in the margin above or below the text block
    left: float = 0.0  # pt from the left edge of the page
    right: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.words)


def _is_furniture(top: float, bottom: float, page_width: float, page_height: float) -> bool:
    """Above the text block (the running head's rule stands ``head_gap_mm`` above its first line) or below
    it, on a portrait page or a landscape one (a ::: landscape block's). A page with bleed is larger than the
    trim by the same amount on each side."""
    grid = LANDSCAPE_GRID if page_width > page_height else GRID
    trim = grid.page_height_mm / MM_PER_PT
    offset = max(page_height - trim, 0.0) / 2
    head = offset + (grid.top_margin_mm - grid.head_gap_mm / 2) / MM_PER_PT
    foot = offset + trim - grid.bottom_margin_mm / MM_PER_PT
    middle = (top + bottom) / 2
    return middle < head or middle > foot


@dataclass(frozen=True)
class _Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


def _same_line(line: list[_Word], word: _Word) -> bool:
    """A word continues the line drawn before it when it shares most of its height with it (a raised note
    call shares all of its own). Not by direction: leaders are drawn from right to left."""
    top, bottom = min(w.top for w in line), max(w.bottom for w in line)
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap > 0.5 * min(bottom - top, word.bottom - word.top)


NO_PDFTOTEXT = "pdftotext（poppler-utils）がないため PDF の本文・禁則を読み返せません（apt-get install poppler-utils）"


@functools.lru_cache(maxsize=4)
def _lines(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[Line, ...], int]:
    if shutil.which("pdftotext") is None:
        raise MissingTool("pdf-tools", NO_PDFTOTEXT)
    """The lines of every page in the order the page draws them (``pdftotext -raw``): a table's cells one
    after another, each with its lines, as the source has them; a reading by position would interleave the
    lines of cells side by side."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", "-bbox", path, "-"], capture_output=True, check=True)
    root = etree.fromstring(result.stdout, etree.XMLParser(recover=True, huge_tree=True))
    found: list[Line] = []
    pages = 0
    for page_no, page in enumerate(root.iterfind(".//x:page", _XHTML), start=1):
        pages = page_no
        width, height = float(page.get("width", "0")), float(page.get("height", "0"))
        grouped: list[list[_Word]] = []
        for node in page.iterfind("x:word", _XHTML):
            word = _Word(node.text or "", *(float(node.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")))
            if grouped and _same_line(grouped[-1], word):
                grouped[-1].append(word)
            else:
                grouped.append([word])
        for number, words in enumerate(grouped, start=1):
            top, bottom = min(w.top for w in words), max(w.bottom for w in words)
            left, right = min(w.left for w in words), max(w.right for w in words)
            found.append(Line(page_no, number, tuple(w.text for w in words), top, bottom, _is_furniture(top, bottom, width, height), left, right))
    return tuple(found), pages


def read_lines(path: Path) -> tuple[Line, ...]:
    """Every text line of the PDF, page by page, with its words and whether it is page furniture."""
    stat = Path(path).stat()
    return _lines(str(path), stat.st_mtime_ns, stat.st_size)[0]


def page_texts(path: Path) -> list[str]:
    """Each page's body text, the running heads and folios left out."""
    stat = Path(path).stat()
    lines, pages = _lines(str(path), stat.st_mtime_ns, stat.st_size)
    texts: list[list[str]] = [[] for _ in range(pages)]
    for line in lines:
        if not line.furniture:
            texts[line.page - 1].append(" ".join(line.words))
    return ["\n".join(page) for page in texts]


def body_text(path: Path) -> str:
    return "\n".join(page_texts(path))


def pdf_text(path: Path) -> str:
    """All the text, furniture included."""
    return "\n".join(" ".join(line.words) for line in read_lines(path))


@functools.lru_cache(maxsize=4)
def _reader(path: str, _mtime_ns: int, _size: int) -> PdfReader:
    return PdfReader(path)


def open_pdf(path: Path) -> PdfReader:
    """One parsed reader per file version: verify reads bookmarks, destinations and fonts of the same PDF."""
    stat = Path(path).stat()
    return _reader(str(path), stat.st_mtime_ns, stat.st_size)


def resolved(value: object) -> object:
    """A PDF object, read through the indirect reference that stands for it, if one does."""
    return value.get_object() if isinstance(value, IndirectObject) else value


def dictionary(value: object) -> DictionaryObject | None:
    """A PDF dictionary (resolved), or None for anything else."""
    value = resolved(value)
    return value if isinstance(value, DictionaryObject) else None


def pdf_outline(path: Path) -> list[ReadHeading]:
    """The bookmarks as (depth, title), walking /First and /Next. pypdf's own ``outline`` also resolves
    every destination to its page, which is quadratic in the page count (seconds on a long document)."""
    root = dictionary(open_pdf(path).trailer["/Root"])
    found: list[ReadHeading] = []

    def walk(parent: DictionaryObject, level: int) -> None:
        item = parent.get("/First")
        seen = 0
        while item is not None and seen < 100_000:
            item, seen = item.get_object(), seen + 1
            found.append(ReadHeading(level, str(item.get("/Title", ""))))
            if "/First" in item:
                walk(item, level + 1)
            item = item.get("/Next")

    outlines = dictionary(root.get("/Outlines")) if root is not None else None
    if outlines is not None:
        walk(outlines, 1)
    return found


def body_start_page(path: Path) -> int:
    """The page (1-based) of the first bookmark: where the front (cover, 目次, 図表目次) ends."""
    reader = open_pdf(path)
    first = next((item for item in reader.outline if not isinstance(item, list)), None)
    page = reader.get_destination_page_number(first) if first is not None else None
    return page + 1 if page is not None else 1


def toc_text(path: Path) -> str | None:
    """The text of the 目次 pages: from the page that starts with 目次 to the 図表目次 or the first bookmark's page."""
    texts = page_texts(path)
    start = next((i for i, t in enumerate(texts) if normalise(t).startswith(TOC_TITLE)), None)
    if start is None:
        return None
    end = body_start_page(path) - 1 if open_pdf(path).outline else start + 1
    figures = next((i for i, t in enumerate(texts) if i > start and normalise(t).startswith(FIGURE_LIST_TITLE)), end)
    return "\n".join(texts[start : max(min(end, figures), start + 1)])


_TOC_FURNITURE = re.compile(r"^[\s.\d・…‥·\-–—目次]*$")
_LEADERS = re.compile(r"[.…‥·・]{2,}\s*\d*")


def compare_toc(report: Report, path: Path, want: Expected) -> None:
    """Every contents entry, in order, on the 目次 pages, and nothing else but leaders and page numbers."""
    text = toc_text(path)
    if text is None:
        report.error("verify-toc", "目次のページが見つかりません")
        return
    haystack = normalise(text)
    cursor = 0
    for entry in want.toc:
        needle = normalise(entry.text)
        at = haystack.find(needle, cursor)
        if at < 0:
            report.error("verify-toc", f"目次に項目がありません: 「{entry.text}」", entry.text, heading=True)
            continue
        _extra(report, haystack[cursor:at])
        cursor = at + len(needle)
    _extra(report, haystack[cursor:])


def _extra(report: Report, gap: str) -> None:
    if not _TOC_FURNITURE.match(gap):
        report.error("verify-toc", f"目次に余分な項目があります: 「{short(_LEADERS.sub(' ', gap).strip())}」")


def post_build(path: Path, want: Expected) -> list[Diagnostic]:
    """The print edition's own checks of the built file: 禁則, fonts, extractable text."""
    from jpub.verify import pdf_checks

    return pdf_checks.check(path, want.fonts)


def reader() -> EditionReader:
    from jpub.verify.pdf_figures import compare_figures

    return EditionReader(headings=pdf_outline, text=body_text, toc=compare_toc, notes=pdf_text, extra=post_build, figures=compare_figures)
